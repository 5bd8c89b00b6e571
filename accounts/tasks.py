"""Celery tasks of the accounts app: thin doors onto accounts.services."""

from celery import shared_task

from . import services


@shared_task
def password_reset_mail(email: str) -> None:
    """Look the address up and mail a reset link if it has an account (off the request: see
    services.password_reset_request)."""
    services.password_reset_mail(email=email)

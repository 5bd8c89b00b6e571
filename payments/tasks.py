"""Periodic Celery tasks of the payments app (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import payments_retry_refunds


@shared_task
def retry_refunds() -> None:
    """Ask Stripe again for refunds that are due but not yet accepted (each claimed, never twice)."""
    payments_retry_refunds()

"""Periodic Celery tasks of the payments app (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import refunds_retry


@shared_task
def retry_refunds() -> None:
    """Ask Stripe again for refunds that are due but not yet accepted (each claimed, never twice)."""
    refunds_retry()

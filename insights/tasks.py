"""Periodic Celery task of the shopper insights (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import insights_flush


@shared_task
def flush_insights() -> None:
    """Move the counters from the shared cache into the daily tables (one flush at a time)."""
    insights_flush()

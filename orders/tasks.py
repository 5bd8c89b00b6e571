"""Periodic Celery tasks of the orders app (settings.CELERY_BEAT_SCHEDULE): what the orders tell the
catalog."""

from celery import shared_task

from .catalog_stats import bestsellers_refresh, related_books_refresh


@shared_task
def refresh_bestsellers() -> None:
    bestsellers_refresh()


@shared_task
def refresh_related_books() -> None:
    related_books_refresh()

"""Periodic Celery tasks of the checkout flows (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import orders_expire_unpaid


@shared_task
def expire_unpaid_orders() -> None:
    """Cancel pending orders past their pay-by time (each in its own short transaction, SKIP LOCKED)."""
    orders_expire_unpaid()

"""Periodic Celery tasks of the catalog (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .digest import low_stock_digest_send
from .spelling import search_terms_rebuild


@shared_task
def rebuild_search_terms() -> None:
    """The "Did you mean" vocabulary, rebuilt from every title, author and genre (what bulk loads skipped)."""
    search_terms_rebuild()


@shared_task
def send_low_stock_digest() -> None:
    """The staff's daily low-stock digest (at most one per member per day)."""
    low_stock_digest_send()

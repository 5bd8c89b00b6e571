"""Periodic Celery task of the catalog (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .spelling import search_terms_rebuild


@shared_task
def rebuild_search_terms() -> None:
    """The "Did you mean" vocabulary, rebuilt from every title, author and genre (what bulk loads skipped)."""
    search_terms_rebuild()

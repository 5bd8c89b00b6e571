"""What the orders tell the catalog, computed here and stored on the catalog's side (which cannot read
orders): each book's paid copies of the last 30 days (the "Bestsellers" order) and which books are
bought together ("Customers also bought"). Run periodically (Celery beat, or the management commands
from cron); each is safe to run at any time and again."""

from datetime import timedelta

from django.utils import timezone
from tqdm import tqdm

from catalog.services import book_relations_replace, book_sales_set

from .selectors import book_co_purchases, book_units_sold

BESTSELLER_WINDOW = timedelta(days=30)  # what Book.units_sold_30d means
RELATED_DAYS = 365
RELATED_PER_BOOK = 12


def bestsellers_refresh(*, progress: bool = False) -> tuple[int, int]:
    """Recount each book's paid copies of the last 30 days: one aggregate query, then only the books
    whose figure changed are written. Returns (books sold, figures changed)."""
    units = book_units_sold(since=timezone.now() - BESTSELLER_WINDOW)
    return len(units), book_sales_set(units=units, progress=progress)


def related_books_refresh(
    *, days: int = RELATED_DAYS, per_book: int = RELATED_PER_BOOK, progress: bool = False
) -> tuple[int, int]:
    """Store each book's most frequent co-purchases of the last `days` days, `per_book` at most.
    Returns (pairs stored, books with related books)."""
    relations: dict[int, list[tuple[int, int]]] = {}
    pairs = book_co_purchases(since=timezone.now() - timedelta(days=days))
    for book_id, related_id, score in tqdm(pairs, disable=not progress, unit="pair", desc="co-purchases"):
        top = relations.setdefault(book_id, [])
        if len(top) < per_book:  # the rows come most frequent first for each book
            top.append((related_id, score))
    return book_relations_replace(relations=relations, progress=progress), len(relations)

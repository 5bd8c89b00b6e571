"""`python manage.py refresh_related_books [--days 365] [--per-book 12]`: recompute "customers also
bought" from co-purchases: for each book, the books found most often in the same paid-or-later orders
(paid within the window), its top few kept. One aggregate query (the order lines joined to themselves),
streamed, then the catalog's table is replaced in one transaction (catalog.services.book_relations_replace).
Safe to run at any time and again (orders.catalog_stats.related_books_refresh; Celery beat runs it
nightly)."""

from django.core.management.base import BaseCommand

from core.arguments import positive_int
from orders.catalog_stats import RELATED_DAYS, RELATED_PER_BOOK, related_books_refresh


class Command(BaseCommand):
    help = 'Recompute "customers also bought" from the co-purchases of paid orders.'

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=positive_int, default=RELATED_DAYS, help="Orders paid in these last days."
        )
        parser.add_argument(
            "--per-book", type=positive_int, default=RELATED_PER_BOOK, help="Related books kept per book."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, days: int, per_book: int, no_progress: bool, verbosity: int, **options):
        stored, books = related_books_refresh(
            days=days, per_book=per_book, progress=not no_progress and verbosity > 0
        )
        self.stdout.write(f"{stored} related pair(s) stored for {books} book(s).")

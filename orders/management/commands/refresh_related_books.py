"""`python manage.py refresh_related_books [--days 365] [--per-book 12]`: recompute "customers also
bought" from co-purchases: for each book, the books found most often in the same paid-or-later orders
(paid within the window), its top few kept. One aggregate query (the order lines joined to themselves),
streamed, then the catalog's table is replaced in one transaction (catalog.services.book_relations_replace).
Safe to run at any time and again; schedule it (cron or a periodic task), e.g. nightly."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from catalog.services import book_relations_replace
from core.arguments import positive_int
from orders.selectors import book_co_purchases


class Command(BaseCommand):
    help = 'Recompute "customers also bought" from the co-purchases of paid orders.'

    def add_arguments(self, parser):
        parser.add_argument("--days", type=positive_int, default=365, help="Orders paid in these last days.")
        parser.add_argument("--per-book", type=positive_int, default=12, help="Related books kept per book.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, days: int, per_book: int, no_progress: bool, verbosity: int, **options):
        progress = not no_progress and verbosity > 0
        relations: dict[int, list[tuple[int, int]]] = {}
        pairs = book_co_purchases(since=timezone.now() - timedelta(days=days))
        for book_id, related_id, score in tqdm(pairs, disable=not progress, unit="pair", desc="co-purchases"):
            top = relations.setdefault(book_id, [])
            if len(top) < per_book:  # the rows come most frequent first for each book
                top.append((related_id, score))
        stored = book_relations_replace(relations=relations, progress=progress)
        self.stdout.write(f"{stored} related pair(s) stored for {len(relations)} book(s).")

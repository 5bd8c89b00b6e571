"""`python manage.py refresh_bestsellers`: recount each book's paid copies of the last 30 days for the
shop's "Bestsellers" order. One aggregate query over the order lines, then only the books whose figure
changed are written (catalog.services.book_sales_set). Safe to run at any time and again; schedule it
(cron or a periodic task), e.g. hourly: the order lags sales by that much."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from catalog.services import book_sales_set
from orders.selectors import book_units_sold

WINDOW = timedelta(days=30)  # what Book.units_sold_30d means


class Command(BaseCommand):
    help = "Recount each book's paid copies of the last 30 days (the Bestsellers order)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, no_progress: bool, verbosity: int, **options):
        units = book_units_sold(since=timezone.now() - WINDOW)
        changed = book_sales_set(units=units, progress=not no_progress and verbosity > 0)
        self.stdout.write(f"{len(units)} book(s) sold in the last 30 days; {changed} figure(s) changed.")

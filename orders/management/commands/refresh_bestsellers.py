"""`python manage.py refresh_bestsellers`: recount each book's paid copies of the last 30 days for the
shop's "Bestsellers" order (orders.catalog_stats.bestsellers_refresh; Celery beat runs it hourly)."""

from django.core.management.base import BaseCommand

from orders.catalog_stats import bestsellers_refresh


class Command(BaseCommand):
    help = "Recount each book's paid copies of the last 30 days (the Bestsellers order)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, no_progress: bool, verbosity: int, **options):
        sold, changed = bestsellers_refresh(progress=not no_progress and verbosity > 0)
        self.stdout.write(f"{sold} book(s) sold in the last 30 days; {changed} figure(s) changed.")

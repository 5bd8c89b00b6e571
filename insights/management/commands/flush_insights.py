"""`python manage.py flush_insights`: move the shopper counters from the cache into the daily tables.

Run it every few minutes (cron, or the task scheduler calling `insights.services.insights_flush`); it
must run at least once a day, or counters older than their cache lifetime are lost.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from insights.services import insights_flush


class Command(BaseCommand):
    help = "Move the counted shopper events (views, searches, cart adds, orders) into the daily tables."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, no_progress: bool, **options):
        with tqdm(unit="rows", desc="Insights", disable=no_progress) as bar:
            report = insights_flush(progress=bar.update)
        if report.skipped:
            self.stdout.write("Another flush is running; nothing done.")
            return
        self.stdout.write(
            f"{report.events} event(s) flushed into {report.book_rows} book row(s) "
            f"and {report.search_rows} search row(s)."
        )

"""`python manage.py rebuild_search_terms`: recount the "Did you mean" vocabulary (catalog/spelling.py)
from every book's title, author and genre names and every genre, adding what bulk loads bypassed and
dropping words no book uses any more. One streamed read of the books; only differences are written.
Safe to run at any time and again; schedule it (cron or a periodic task), e.g. nightly."""

from django.core.management.base import BaseCommand

from catalog.spelling import search_terms_rebuild


class Command(BaseCommand):
    help = 'Recount the "Did you mean" vocabulary from the whole catalog.'

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, no_progress: bool, verbosity: int, **options):
        report = search_terms_rebuild(progress=not no_progress and verbosity > 0)
        self.stdout.write(
            f"{report.total} word(s): {report.added} added, {report.recounted} recounted, {report.removed} removed."
        )

"""`python manage.py import_books FILE.csv`: create or update books by ISBN (see catalog/book_import.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.book_import import HEADER, ImportFileError, books_import


class Command(BaseCommand):
    help = (
        "Create or update books from a CSV file, matched by ISBN. Header: "
        + ",".join(HEADER)
        + " (genre is a genre slug; an empty stock keeps an existing book's stock)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, file: Path, batch_size: int, no_progress: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            total_lines = _count_lines(file)
            with (
                file.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as csv_file,
                tqdm(total=max(total_lines - 1, 0), unit="rows", disable=no_progress) as bar,
            ):
                report = books_import(
                    file=csv_file, batch_size=batch_size, source=f"import {file.name}", progress=bar.update
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for line, message in report.errors:
            self.stderr.write(f"line {line}: {message}")
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.stock_changes} stock changes, {len(report.errors)} rejected."
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} row(s) rejected; the other rows were imported.")


def _count_lines(path: Path) -> int:
    """Lines in the file, for the progress bar (a record spanning lines makes it a slight overestimate)."""
    with path.open("rb") as raw:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))

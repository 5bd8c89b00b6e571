"""Bulk import and update of books from CSV, matched by ISBN (`manage.py import_books`).

The file starts with this header (any column order): isbn,title,author,description,price,stock,genre

- isbn: ISBN-10 or ISBN-13 (hyphens allowed); a book with that ISBN is updated, otherwise created.
- title, author: required. description: may be empty. price: a decimal > 0 with at most two places.
- stock: a whole number >= 0; empty keeps an existing book's stock (a new book starts at 0).
(The same rules, and words, as the API and the admin: `catalog.validation.book_clean`.)
- genre: the slug of an existing genre; empty means no genre.

Every row is checked before anything is written; a bad row is reported by its line number and skipped,
the others go on. Valid rows are written in batches, one transaction each: the batch's existing books
are locked (in id order, like a checkout), new books are bulk-inserted, changed ones bulk-updated, and
stock changes go through `stock_set_locked_bulk`, which writes exact ledger rows (reason `import`) and
notifies pre-bookings of titles coming back from 0; each new book's price and each changed price are
written to the price history (reason `import`). A removed (inactive) book is updated but stays removed.
"""

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from .cache_version import catalog_changed
from .models import Book, Genre, PriceChange, StockMovement
from .selectors import genre_names_by_id
from .services import stock_set_locked_bulk
from .spelling import search_terms_add
from .validation import book_clean

HEADER = ("isbn", "title", "author", "description", "price", "stock", "genre")
UPDATED_FIELDS = ("title", "author", "description", "price", "genre_id")
_UNDECODABLE = re.compile(
    "[\udc80-\udcff]"
)  # what errors="surrogateescape" leaves for bytes that are not UTF-8


class ImportFileError(Exception):
    """The file as a whole cannot be imported (no header, wrong columns)."""


@dataclass
class ImportRow:
    line: int
    isbn: str
    title: str
    author: str
    description: str
    price: Decimal
    stock: int | None
    genre_id: int | None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stock_changes: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rows_ok(self) -> int:
        return self.created + self.updated + self.unchanged


def books_import(
    *,
    file: TextIO,
    batch_size: int = 1000,
    actor=None,
    source: str = "import",
    progress: Callable[[int], None] = lambda rows: None,
) -> ImportReport:
    """Import every row of `file` (opened with newline="" and errors="surrogateescape")."""
    report = ImportReport()
    genres = dict(Genre.objects.values_list("slug", "pk"))
    seen_isbns: set[int] = set()
    batch: list[ImportRow] = []
    for line, values in _records(file, report):
        progress(1)
        try:
            row = _parse(line, values, genres)
        except ValidationError as exc:
            report.errors.append((line, "; ".join(exc.messages)))
            continue
        if int(row.isbn) in seen_isbns:
            report.errors.append((line, f"isbn: {row.isbn} already appears on an earlier line."))
            continue
        seen_isbns.add(int(row.isbn))
        batch.append(row)
        if len(batch) >= batch_size:
            _write_batch(batch, report, actor=actor, note=source)
            batch = []
    if batch:
        _write_batch(batch, report, actor=actor, note=source)
    report.errors.sort()
    return report


def _records(file: TextIO, report: ImportReport) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, {column: value}) for each non-blank record."""
    reader = csv.reader(file)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ImportFileError("The file is empty; expected the header " + ",".join(HEADER)) from None
    if sorted(header) != sorted(HEADER):
        raise ImportFileError(f"Expected the header {','.join(HEADER)}; got {','.join(header)}")
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last_line = reader.line_num
            report.errors.append((start, f"unreadable CSV: {exc}"))
            continue
        last_line = reader.line_num
        if not values:
            continue
        if len(values) != len(HEADER):
            report.errors.append((start, f"expected {len(HEADER)} columns, got {len(values)}."))
            continue
        yield start, dict(zip(header, values, strict=True))


def _parse(line: int, values: dict[str, str], genres: dict[str, int]) -> ImportRow:
    """A row checked by the same rules as the API and the admin (`catalog.validation.book_clean`)."""
    if any(_UNDECODABLE.search(value) for value in values.values()):
        raise ValidationError("the line is not valid UTF-8.")
    values = {name: value.strip() for name, value in values.items()}
    fields = {name: values[name] for name in ("isbn", "title", "author", "description", "price")}
    if values["stock"]:
        fields["stock"] = values["stock"]
    problems = []
    try:
        # An ISBN already in the catalog is the book this row updates, not a clash.
        cleaned = book_clean(fields, isbn_unique=False)
    except ValidationError as exc:
        cleaned = {}
        problems = [
            f"{name}: {message}" for name, messages in exc.message_dict.items() for message in messages
        ]
    genre_id = None
    if values["genre"]:
        genre_id = genres.get(values["genre"])
        if genre_id is None:
            problems.append(f"genre: no genre with the slug {values['genre']!r}.")
    if problems:
        raise ValidationError(problems)
    return ImportRow(
        line,
        cleaned["isbn"],
        cleaned["title"],
        cleaned["author"],
        cleaned["description"],
        cleaned["price"],
        cleaned.get("stock"),
        genre_id,
    )


def _write_batch(rows: list[ImportRow], report: ImportReport, *, actor, note: str) -> None:
    """Write the batch in one transaction; if the database refuses it, retry row by row so only the
    offending rows are rejected (a book created meanwhile by someone else, for instance)."""
    try:
        with transaction.atomic():
            counts = _write(rows, actor=actor, note=note)
    except DatabaseError:
        if len(rows) == 1:
            raise
        for row in rows:
            try:
                _write_batch([row], report, actor=actor, note=note)
            except DatabaseError as exc:
                report.errors.append((row.line, f"not saved: {exc}"))
        return
    report.created += counts["created"]
    report.updated += counts["updated"]
    report.unchanged += counts["unchanged"]
    report.stock_changes += counts["stock_changes"]


def _write(rows: list[ImportRow], *, actor, note: str) -> dict[str, int]:
    existing = {
        book.isbn: book
        for book in Book.objects.select_for_update()
        .filter(isbn__in=[row.isbn for row in rows])
        .order_by("pk")
    }
    genre_names = genre_names_by_id()
    created = [
        Book(
            **{name: getattr(row, name) for name in UPDATED_FIELDS},
            isbn=row.isbn,
            stock=row.stock or 0,
            genre_names=genre_names.get(row.genre_id, ""),
        )
        for row in rows
        if row.isbn not in existing
    ]
    Book.objects.bulk_create(created)
    # A brand-new book has nobody waiting for it: only its opening ledger row is due.
    StockMovement.objects.bulk_create(
        StockMovement(
            book_id=book.pk,
            delta=book.stock,
            stock_after=book.stock,
            reason=StockMovement.Reason.IMPORT,
            actor=actor,
            note=note,
        )
        for book in created
        if book.stock
    )
    prices = [(book, None) for book in created]
    changed, stock_targets, now = [], [], timezone.now()
    for row in rows:
        book = existing.get(row.isbn)
        if book is None:
            continue
        if book.price != row.price:
            prices.append((book, book.price))
        if any(getattr(book, name) != getattr(row, name) for name in UPDATED_FIELDS):
            for name in UPDATED_FIELDS:
                setattr(book, name, getattr(row, name))
            book.genre_names = genre_names.get(row.genre_id, "")
            book.updated_at = now
            changed.append(book)
        if row.stock is not None:
            stock_targets.append((book, row.stock))
    Book.objects.bulk_update(changed, [*UPDATED_FIELDS, "genre_names", "updated_at"])
    if created or changed:
        catalog_changed()
    PriceChange.objects.bulk_create(
        PriceChange(
            book_id=book.pk,
            old_price=old_price,
            new_price=book.price,
            reason=PriceChange.Reason.IMPORT,
            actor=actor,
        )
        for book, old_price in prices
    )
    search_terms_add(texts=[f"{book.title} {book.author}" for book in [*created, *changed]])
    stock_changed_ids = {book.pk for book, stock in stock_targets if stock != book.stock}
    stock_changes = stock_set_locked_bulk(
        targets=stock_targets, reason=StockMovement.Reason.IMPORT, actor=actor, note=note
    )
    updated = len({book.pk for book in changed} | stock_changed_ids)
    return {
        "created": len(created),
        "updated": updated,
        "unchanged": len(existing) - updated,
        "stock_changes": stock_changes,
    }

"""Catalog writes. Every stock change goes through `stock_adjust` or `book_set_stock` so the ledger
stays complete."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F

from .covers import cover_filename, cover_validate
from .exceptions import InsufficientStock
from .isbn import isbn_validate
from .models import Book, Genre, StockMovement

BOOK_FIELDS = ("title", "author", "isbn", "description", "price", "genre")


def genre_save(*, genre: Genre | None = None, name: str, slug: str, parent: Genre | None = None) -> Genre:
    genre = genre or Genre()
    ancestor = parent
    while ancestor is not None:
        if genre.pk and ancestor.pk == genre.pk:
            raise ValidationError({"parent": ["A genre cannot be nested inside itself."]})
        ancestor = ancestor.parent
    genre.name, genre.slug, genre.parent = name, slug, parent
    try:
        with transaction.atomic():
            genre.save()
    except IntegrityError as exc:
        raise ValidationError({"slug": ["A genre with this slug already exists."]}) from exc
    return genre


def _save_book(book: Book, *, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            book.save(update_fields=update_fields)
    except IntegrityError as exc:
        if Book.objects.exclude(pk=book.pk).filter(isbn=book.isbn).exists():
            raise ValidationError({"isbn": ["A book with this ISBN already exists."]}) from exc
        raise


@transaction.atomic
def book_create(*, actor=None, stock: int = 0, **fields) -> Book:
    book = Book(**{name: fields[name] for name in BOOK_FIELDS if name in fields})
    book.isbn = isbn_validate(book.isbn)
    _save_book(book)
    if stock:
        stock_adjust(book_id=book.pk, delta=stock, reason=StockMovement.Reason.INITIAL, actor=actor)
        book.refresh_from_db(fields=["stock"])
    return book


@transaction.atomic
def book_update(*, book: Book, actor=None, **fields) -> Book:
    """Only the catalog fields are written: stock, ratings and `is_active` may have changed since
    `book` was read (a checkout, a review, a removal) and must not be put back. A new stock count
    goes through the ledger, compared with the locked row rather than with `book`."""
    for name in BOOK_FIELDS:
        if name in fields:
            setattr(book, name, fields[name])
    book.isbn = isbn_validate(book.isbn)
    _save_book(book, update_fields=[*BOOK_FIELDS, "updated_at"])
    if "stock" in fields:
        book = book_set_stock(book_id=book.pk, stock=fields["stock"], actor=actor)
    return book


def book_deactivate(*, book: Book) -> None:
    """Takes the book out of the catalog; orders and ledger rows keep pointing at it."""
    Book.objects.filter(pk=book.pk).update(is_active=False)


@transaction.atomic
def stock_adjust(
    *, book_id: int, delta: int, reason: str, actor=None, note: str = "", order=None
) -> StockMovement:
    """Add `delta` (negative to take) to a book's stock and write the ledger row, atomically.

    The conditional UPDATE refuses to go below zero even if the caller did not lock the row.
    """
    updated = Book.objects.filter(pk=book_id, stock__gte=-delta).update(stock=F("stock") + delta)
    if not updated:
        raise InsufficientStock(extra={"book_ids": [book_id]})
    stock_after = Book.objects.values_list("stock", flat=True).get(pk=book_id)
    return StockMovement.objects.create(
        book_id=book_id,
        delta=delta,
        stock_after=stock_after,
        reason=reason,
        actor=actor,
        note=note,
        order=order,
    )


@transaction.atomic
def book_set_stock(
    *, book_id: int, stock: int, actor=None, note: str = "", reason: str = StockMovement.Reason.ADJUSTMENT
) -> Book:
    """Set the count a stock-take found; the ledger records the difference."""
    if stock < 0:
        raise ValidationError({"stock": ["Stock cannot be negative."]})
    book = Book.objects.select_for_update().get(pk=book_id)
    delta = stock - book.stock
    if delta:
        stock_adjust(book_id=book.pk, delta=delta, reason=reason, actor=actor, note=note)
        book.refresh_from_db()
    return book


def book_set_cover(*, book: Book, upload: UploadedFile) -> Book:
    extension = cover_validate(upload)
    old_cover = book.cover.name if book.cover else ""
    book.cover.save(cover_filename(extension), upload, save=False)
    Book.objects.filter(pk=book.pk).update(cover=book.cover.name)
    if old_cover:
        book.cover.storage.delete(old_cover)
    return book

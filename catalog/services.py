"""Catalog writes. Every stock change goes through `stock_adjust` (or, for a bulk import whose rows are
already locked, `stock_set_locked_bulk`) so the ledger stays complete and a title coming back in stock
notifies the customers waiting for it. Wishlist entries, pre-bookings and a shopper's preferences are
written here too, and what other apps compute about books (sales, co-purchases) is stored through
`book_sales_set` and `book_relations_replace`. Every write a shopper's page shows (books, genres, stock,
prices, ratings, sales, related books) calls `catalog_changed`, so the page cache (catalog/page_cache.py)
renders the catalog afresh.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm

from core.db import lock_retrying
from core.errors import Duplicate, InvalidTransition, NotFound
from notifications.services import email_notify

from .cache_version import catalog_changed
from .covers import cover_filename, cover_validate
from .exceptions import InStock, InsufficientStock
from .models import (
    DEFAULT_LOW_STOCK_THRESHOLD,
    Book,
    BookRelation,
    Genre,
    PreBooking,
    PriceChange,
    ShopperPreferences,
    StockMovement,
    TaxClass,
    WishlistItem,
)
from .selectors import Preferences, genre_ids_under, genre_names_by_id, preferences_for
from .spelling import search_terms_add
from .validation import MESSAGES, book_clean, genre_clean, stock_clean

logger = logging.getLogger(__name__)

BOOK_FIELDS = ("title", "author", "isbn", "description", "price", "tax_class", "genre", "low_stock_threshold")
BATCH = 1000  # rows per statement in the bulk writes


def genre_save(*, genre: Genre | None = None, name: str, slug: str, parent: Genre | None = None) -> Genre:
    """Create a genre, or change one (`genre`): the API, the admin and the demo seed all come here."""
    genre = genre or Genre()
    values = genre_clean(name=name, slug=slug, parent=parent, genre=genre)
    # Compared with the stored row: the admin's form has already copied its input onto `genre`.
    stored = Genre.objects.filter(pk=genre.pk).values_list("name", "parent_id").first() if genre.pk else None
    renamed = stored is not None and stored != (values["name"], getattr(values["parent"], "pk", None))
    genre.name, genre.slug, genre.parent = values["name"], values["slug"], values["parent"]
    try:
        with transaction.atomic():
            genre.save()
            catalog_changed()
            if renamed:
                _genre_names_refresh(genre)
            search_terms_add(texts=[genre.name])
    except IntegrityError as exc:  # a concurrent save took the slug
        raise ValidationError({"slug": [MESSAGES["genre_slug_taken"]]}) from exc
    return genre


def _genre_names_refresh(genre: Genre) -> None:
    """A renamed or moved genre: the books filed under it, or under a genre below it, are searched by
    the new names. One UPDATE per genre of the subtree (a rare staff action)."""
    names = genre_names_by_id()
    for genre_id in sorted(genre_ids_under(genre_ids={genre.pk})):
        Book.objects.filter(genre_id=genre_id).update(genre_names=names[genre_id])


def book_genre_names(genre: Genre | None) -> str:
    """What `Book.genre_names` holds for a book filed under `genre`."""
    return genre_names_by_id()[genre.pk] if genre is not None else ""


def _save_book(book: Book, *, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            book.save(update_fields=update_fields)
            catalog_changed()
    except IntegrityError as exc:
        if Book.objects.exclude(pk=book.pk).filter(isbn=book.isbn).exists():  # a concurrent save won
            raise ValidationError({"isbn": [MESSAGES["isbn_taken"]]}) from exc
        raise


@transaction.atomic
def book_create(*, actor=None, stock: int = 0, **fields) -> Book:
    """Add a book to the catalog; its opening stock is the ledger's first row, its price the price
    history's."""
    given = {
        "title": "",
        "author": "",
        "isbn": "",
        "description": "",
        "price": "",
        "genre": None,
        "low_stock_threshold": DEFAULT_LOW_STOCK_THRESHOLD,
        "tax_class": TaxClass.REDUCED,
        **fields,
    }
    values = book_clean({**{name: given[name] for name in BOOK_FIELDS}, "stock": stock})
    book = Book(**{name: values[name] for name in BOOK_FIELDS}, genre_names=book_genre_names(values["genre"]))
    _save_book(book)
    PriceChange.objects.create(
        book=book, old_price=None, new_price=book.price, reason=PriceChange.Reason.INITIAL, actor=actor
    )
    search_terms_add(texts=[book.title, book.author])
    if values["stock"]:
        stock_adjust(book_id=book.pk, delta=values["stock"], reason=StockMovement.Reason.INITIAL, actor=actor)
        book.refresh_from_db(fields=["stock"])
    return book


@transaction.atomic
def book_update(*, book: Book, actor=None, stock_reason: str = "", stock_note: str = "", **fields) -> Book:
    """Only the catalog fields are written: stock, ratings and `is_active` may have changed since
    `book` was read (a checkout, a review, a removal) and must not be put back. A new stock count
    goes through the ledger, and a new price into the price history, each compared with the locked row
    rather than with `book`."""
    given = {name: value for name, value in fields.items() if name in (*BOOK_FIELDS, "stock")}
    values = book_clean(given, book=book)
    stored_price = Book.objects.select_for_update().values_list("price", flat=True).get(pk=book.pk)
    for name in BOOK_FIELDS:
        if name in values:
            setattr(book, name, values[name])
    if "genre" in values:
        book.genre_names = book_genre_names(values["genre"])
    _save_book(book, update_fields=[*BOOK_FIELDS, "genre_names", "updated_at"])
    search_terms_add(texts=[book.title, book.author])
    if book.price != stored_price:
        PriceChange.objects.create(
            book=book,
            old_price=stored_price,
            new_price=book.price,
            reason=PriceChange.Reason.EDIT,
            actor=actor,
        )
    if "stock" in values:
        book = book_set_stock(
            book_id=book.pk,
            stock=values["stock"],
            actor=actor,
            reason=stock_reason or StockMovement.Reason.ADJUSTMENT,
            note=stock_note,
        )
    return book


@transaction.atomic
def book_deactivate(*, book: Book) -> None:
    """Takes the book out of the catalog (the API's DELETE, the admin's "Remove from catalog"): orders
    and ledger rows keep pointing at it, and nobody is left waiting for a title that will not return."""
    Book.objects.filter(pk=book.pk).update(is_active=False)
    catalog_changed()
    cancelled = PreBooking.objects.filter(book_id=book.pk, status=PreBooking.Status.WAITING).update(
        status=PreBooking.Status.CANCELLED, waiting=None, cancelled_at=timezone.now()
    )
    logger.info("book %s removed from the catalog; %s waiting pre-booking(s) cancelled", book.pk, cancelled)


def book_reactivate(*, book: Book) -> None:
    """Puts a removed book back in the catalog (the admin's "Put back in the catalog")."""
    Book.objects.filter(pk=book.pk).update(is_active=True)
    catalog_changed()


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
    catalog_changed(matches=_stock_crosses_zero(stock_after - delta, stock_after))
    movement = StockMovement.objects.create(
        book_id=book_id,
        delta=delta,
        stock_after=stock_after,
        reason=reason,
        actor=actor,
        note=note,
        order=order,
    )
    _stock_changed(book_id=book_id, stock_before=stock_after - delta, stock_after=stock_after)
    return movement


def stock_set_locked_bulk(*, targets: list[tuple[Book, int]], reason: str, actor=None, note: str = "") -> int:
    """Set many books' stock with one UPDATE and one ledger INSERT (the bulk import's fast path).

    The caller must hold the books' row locks (`select_for_update`) inside its transaction, so each
    `book.stock` is current and the ledger's deltas are exact. Returns how many books changed.
    """
    changed, movements, restocked = [], [], []
    for book, stock in targets:
        if stock == book.stock:
            continue
        movements.append(
            StockMovement(
                book_id=book.pk,
                delta=stock - book.stock,
                stock_after=stock,
                reason=reason,
                actor=actor,
                note=note,
            )
        )
        restocked.append((book.pk, book.stock, stock))
        book.stock = stock
        changed.append(book)
    Book.objects.bulk_update(changed, ["stock"])
    if changed:
        catalog_changed(matches=any(_stock_crosses_zero(before, after) for _, before, after in restocked))
    StockMovement.objects.bulk_create(movements)
    for book_id, stock_before, stock_after in restocked:
        _stock_changed(book_id=book_id, stock_before=stock_before, stock_after=stock_after)
    return len(changed)


def _stock_crosses_zero(stock_before: int, stock_after: int) -> bool:
    """Whether the book went in or out of stock: what the `in_stock` filter of a search can tell."""
    return (stock_before == 0) != (stock_after == 0)


def _stock_changed(*, book_id: int, stock_before: int, stock_after: int) -> None:
    """What follows a stock change, called explicitly by both stock primitives (no signals). A title
    that left the catalog is not back on sale however many copies it has: nobody is told it is."""
    if stock_before == 0 and stock_after > 0 and Book.objects.filter(pk=book_id, is_active=True).exists():
        prebookings_notify_restock(book_id=book_id)


@lock_retrying
@transaction.atomic
def book_set_stock(
    *, book_id: int, stock: int, actor=None, note: str = "", reason: str = StockMovement.Reason.ADJUSTMENT
) -> Book:
    """Set the count a stock-take found; the ledger records the difference."""
    try:
        stock = stock_clean(stock)
    except ValidationError as exc:
        raise ValidationError({"stock": exc.messages}) from exc
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
    catalog_changed()
    if old_cover:
        book.cover.storage.delete(old_cover)
    return book


# --- What other apps keep on a book ----------------------------------------------------------------


def book_lock_active(book_id: int) -> Book:
    """The book, row-locked, if it is in the catalog. Every write that must not interleave with a stock
    change of the title (a pre-booking, a review and its aggregates) takes this lock first."""
    book = Book.objects.select_for_update().filter(pk=book_id, is_active=True).first()
    if book is None:
        raise NotFound("No such book in the catalog.")
    return book


def books_lock(book_ids) -> dict[int, Book]:
    """The books, row-locked in id order (so two callers holding the same books cannot deadlock)."""
    return {book.pk: book for book in Book.objects.select_for_update().filter(pk__in=book_ids).order_by("pk")}


def book_rating_set(*, book_id: int, average: Decimal | None, count: int) -> None:
    """Store the book's review aggregates (the reviews app computes them under the book's lock)."""
    Book.objects.filter(pk=book_id).update(avg_rating=average, review_count=count)
    catalog_changed()


def book_sales_set(*, units: dict[int, int], progress: bool = False) -> int:
    """Store each book's paid copies of the last 30 days (`units`: book id → copies; a book not named
    sold none), for the "Bestsellers" order. The orders app computes them (`refresh_bestsellers`); only
    the books whose figure changed are written (one UPDATE per figure and thousand books), so a run over
    a million books reads just the books that sold before or sell now. Returns how many books changed."""
    current = dict(Book.objects.filter(units_sold_30d__gt=0).values_list("pk", "units_sold_30d"))
    changes: dict[int, int] = dict.fromkeys((pk for pk in current if pk not in units), 0)
    changes.update({pk: count for pk, count in units.items() if current.get(pk, 0) != count})
    by_count: dict[int, list[int]] = {}
    for pk, count in changes.items():
        by_count.setdefault(count, []).append(pk)
    batches = [
        (count, pks[start : start + BATCH])
        for count, pks in by_count.items()
        for start in range(0, len(pks), BATCH)
    ]
    with transaction.atomic():
        for count, pks in tqdm(batches, disable=not progress, unit="batch", desc="bestsellers"):
            Book.objects.filter(pk__in=pks).update(units_sold_30d=count)
        if changes:
            catalog_changed()
    return len(changes)


@transaction.atomic
def book_relations_replace(*, relations: dict[int, list[tuple[int, int]]], progress: bool = False) -> int:
    """Replace every "customers also bought" list (`relations`: book id → [(related book id, score)],
    best first), computed by the orders app (`refresh_related_books`), in one transaction: readers see
    the old lists or the new ones, never half of each. Returns how many pairs were stored."""
    BookRelation.objects.all().delete()
    rows = [
        BookRelation(book_id=book_id, related_id=related_id, score=score)
        for book_id, related in relations.items()
        for related_id, score in related
        if related_id != book_id
    ]
    for start in tqdm(range(0, len(rows), BATCH), disable=not progress, unit="batch", desc="related books"):
        BookRelation.objects.bulk_create(rows[start : start + BATCH])
    catalog_changed()
    return len(rows)


# --- Wishlist --------------------------------------------------------------------------------------


@lock_retrying
def wishlist_add(*, user, book_id: int) -> WishlistItem:
    if not Book.objects.filter(pk=book_id, is_active=True).exists():
        raise NotFound("No such book in the catalog.")
    try:
        with transaction.atomic():
            return WishlistItem.objects.create(user=user, book_id=book_id)
    except IntegrityError as exc:  # the unique (user, book) constraint: also catches a racing twin
        raise Duplicate("This book is already on your wishlist.") from exc


@lock_retrying
def wishlist_remove(*, user, book_id: int) -> None:
    deleted, _ = WishlistItem.objects.filter(user=user, book_id=book_id).delete()
    if not deleted:
        raise NotFound("This book is not on your wishlist.")


# --- Pre-bookings ----------------------------------------------------------------------------------
# A pre-booking locks the book row like every stock change does, so "stock is 0, start waiting" and
# "stock went from 0 to more, notify the waiting" can never interleave: nobody is left waiting for a
# title that is already back.


@lock_retrying
@transaction.atomic
def prebooking_create(*, user, book_id: int) -> PreBooking:
    book = book_lock_active(book_id)
    if book.stock > 0:
        raise InStock(extra={"stock": book.stock})
    if PreBooking.objects.filter(user=user, book=book, status=PreBooking.Status.WAITING).exists():
        raise Duplicate("You are already waiting for this title.")
    return PreBooking.objects.create(user=user, book=book)


@lock_retrying
@transaction.atomic
def prebooking_cancel(*, user, prebooking_id: int) -> None:
    """The owner stops waiting. Cancelling twice is harmless; a pre-booking already notified stays so."""
    prebooking = PreBooking.objects.select_for_update().filter(user=user, pk=prebooking_id).first()
    if prebooking is None:
        raise NotFound("No such pre-booking.")
    if prebooking.status == PreBooking.Status.NOTIFIED:
        raise InvalidTransition("This pre-booking was already fulfilled: the title is back in stock.")
    if prebooking.status == PreBooking.Status.WAITING:
        prebooking.status, prebooking.waiting = PreBooking.Status.CANCELLED, None
        prebooking.cancelled_at = timezone.now()
        prebooking.save(update_fields=["status", "waiting", "cancelled_at"])


def prebookings_notify_restock(*, book_id: int) -> int:
    """Mark every waiting pre-booking of the title notified and email each customer once, on commit,
    unless their preferences turned restock alerts off (their pre-booking is fulfilled all the same).

    Runs inside the stock change's transaction, which holds the book's row lock; the pre-booking rows are
    locked too so a concurrent cancel either lands first (and gets no email) or finds them notified.
    """
    waiting = dict(
        PreBooking.objects.select_for_update()
        .filter(book_id=book_id, status=PreBooking.Status.WAITING)
        .order_by("pk")
        .values_list("pk", "user_id")
    )
    if not waiting:
        return 0
    PreBooking.objects.filter(pk__in=list(waiting)).update(
        status=PreBooking.Status.NOTIFIED, waiting=None, notified_at=timezone.now()
    )
    book = Book.objects.get(pk=book_id)
    customers = get_user_model().objects.in_bulk(set(waiting.values()))
    # Customers who never changed their preferences have no row: restock alerts are on by default.
    silenced = set(
        ShopperPreferences.objects.filter(user_id__in=customers, restock_alerts=False).values_list(
            "user_id", flat=True
        )
    )
    for prebooking_id, user_id in waiting.items():
        if user_id in silenced:
            continue
        customer = customers[user_id]
        email_notify(
            key=f"prebooking:{prebooking_id}:restocked",
            template="catalog/email/back_in_stock",
            to=customer.email,
            context={"user": customer, "book": book, "currency": settings.SHOP_CURRENCY},
        )
    logger.info("book %s back in stock: %s waiting customer(s) notified", book_id, len(waiting))
    return len(waiting)


# --- A shopper's preferences and what they keep here ----------------------------------------------

PREFERENCE_FLAGS = ("restock_alerts", "review_invites", "marketing_emails")


def _genres_by_slug(slugs: list[str]) -> list[Genre]:
    genres = list(Genre.objects.filter(slug__in=set(slugs)))
    unknown = sorted(set(slugs) - {genre.slug for genre in genres})
    if unknown:
        raise ValidationError({"favourite_genres": [f"No such genre: {', '.join(unknown)}."]})
    return genres


@transaction.atomic
def preferences_update(*, user, favourite_genres: list[str] | None = None, **flags: bool) -> Preferences:
    """Change the preferences given (the rest stay); `favourite_genres` (slugs) replaces the list."""
    genres = _genres_by_slug(favourite_genres) if favourite_genres is not None else None
    row, _ = ShopperPreferences.objects.select_for_update().get_or_create(user=user)
    for name in PREFERENCE_FLAGS:
        if name in flags:
            setattr(row, name, flags[name])
    row.save()
    if genres is not None:
        row.favourite_genres.set(genres)
    return preferences_for(user=user)


@transaction.atomic
def shopper_forget(*, user) -> None:
    """What the catalog keeps of a customer whose account closes: the wishlist and the preferences go,
    waiting pre-bookings are cancelled (past ones stay, like orders, for the records)."""
    WishlistItem.objects.filter(user=user).delete()
    ShopperPreferences.objects.filter(user=user).delete()
    waiting = list(
        PreBooking.objects.select_for_update()
        .filter(user=user, status=PreBooking.Status.WAITING)
        .values_list("pk", flat=True)
    )
    PreBooking.objects.filter(pk__in=waiting).update(
        status=PreBooking.Status.CANCELLED, waiting=None, cancelled_at=timezone.now()
    )

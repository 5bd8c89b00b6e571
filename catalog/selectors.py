"""Catalog reads, shaped once for the API, the shop pages and the admin."""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import F, QuerySet

from core.errors import NotFound

from .isbn import isbn_normalize
from .models import Book, Genre, PreBooking, ShopperPreferences, StockMovement, WishlistItem
from .search import fulltext_search, search_words, words_search


def genre_descendant_ids(genre: Genre) -> list[int]:
    """The genre and every genre nested under it, one query per level."""
    ids, frontier = [genre.pk], [genre.pk]
    while frontier:
        frontier = list(Genre.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids


@dataclass
class GenreNode:
    genre: Genre
    children: list["GenreNode"] = field(default_factory=list)


def genre_tree() -> list[GenreNode]:
    """Every genre nested under its parent, top level first, each level by name; one query."""
    nodes = {genre.pk: GenreNode(genre) for genre in Genre.objects.order_by("name", "id")}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.genre.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def genre_path(genre: Genre) -> list[Genre]:
    """The genre's ancestors from the top level down, ending with the genre itself (breadcrumbs)."""
    path, seen = [genre], {genre.pk}
    while path[0].parent_id and path[0].parent_id not in seen:
        parent = Genre.objects.get(pk=path[0].parent_id)
        seen.add(parent.pk)
        path.insert(0, parent)
    return path


def book_queryset() -> QuerySet:
    """Active books with what every listing shows (the genre) joined in."""
    return Book.objects.filter(is_active=True).select_related("genre")


def book_search(queryset: QuerySet, text: str) -> QuerySet:
    """Exact (indexed) ISBN lookup when the text is an ISBN; otherwise every word must appear in the title,
    author or description: through the FULLTEXT index, most relevant first, on MySQL/MariaDB, and with
    `icontains` on SQLite. See catalog/search.py."""
    isbn = isbn_normalize(text)
    if isbn:
        return queryset.filter(isbn=isbn)
    words = search_words(text)
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "mysql":
        return fulltext_search(queryset, words)
    return words_search(queryset, words)


def low_stock_books(*, threshold: int | None = None) -> QuerySet:
    """Books in the catalog at or under `threshold` copies, or, without one, each at or under its own
    `low_stock_threshold`; the emptiest shelves first."""
    limit = F("low_stock_threshold") if threshold is None else threshold
    return book_queryset().filter(stock__lte=limit).order_by("stock", "title", "id")


def book_get(*, book_id: int) -> Book:
    return book_queryset().get(pk=book_id)


def book_get_active(*, book_id: int) -> Book:
    book = book_queryset().filter(pk=book_id).first()
    if book is None:
        raise NotFound("No such book in the catalog.")
    return book


def wishlist_contains(*, user, book_id: int) -> bool:
    return user.is_authenticated and WishlistItem.objects.filter(user=user, book_id=book_id).exists()


def prebooking_waiting_for(*, user, book_id: int) -> PreBooking | None:
    """The customer's waiting pre-booking of the title, if any (there is at most one)."""
    if not user.is_authenticated:
        return None
    return PreBooking.objects.filter(user=user, book_id=book_id, status=PreBooking.Status.WAITING).first()


def wishlist_for_user(*, user) -> QuerySet:
    """The user's wishlist, newest first; books that left the catalog are not shown."""
    return (
        WishlistItem.objects.filter(user=user, book__is_active=True)
        .select_related("book__genre")
        .order_by("-created_at", "-id")
    )


def prebooking_list_for_user(*, user) -> QuerySet:
    return PreBooking.objects.filter(user=user).select_related("book__genre").order_by("-created_at", "-id")


# --- The stock ledger ------------------------------------------------------------------------------

STOCK_LEDGER_CSV_HEADER = (
    "when",
    "book_id",
    "isbn",
    "title",
    "change",
    "stock_after",
    "reason",
    "note",
    "order_id",
    "by",
)


def stock_movement_queryset() -> QuerySet:
    """Ledger rows across all books, newest first, with the book and who moved the stock."""
    return StockMovement.objects.select_related("book", "actor").order_by("-created_at", "-id")


def stock_movement_csv_rows(queryset: QuerySet):
    """The ledger rows of `queryset` as CSV rows (STOCK_LEDGER_CSV_HEADER), read in chunks."""
    reasons = dict(StockMovement.Reason.choices)
    rows = queryset.values_list(
        "created_at",
        "book_id",
        "book__isbn",
        "book__title",
        "delta",
        "stock_after",
        "reason",
        "note",
        "order_id",
        "actor__email",
    )
    for when, book_id, isbn, title, delta, after, reason, note, order_id, actor in rows.iterator(2000):
        yield (
            when.isoformat(),
            book_id,
            isbn,
            title,
            delta,
            after,
            reasons.get(reason, reason),
            note,
            order_id,
            actor,
        )


@dataclass(frozen=True)
class Preferences:
    restock_alerts: bool
    review_invites: bool
    marketing_emails: bool
    favourite_genres: tuple[str, ...]  # slugs


def preferences_for(*, user) -> Preferences:
    """The user's preferences, or the defaults when they never changed any (nothing is written).
    E.g. `preferences_for(user=customer).restock_alerts` before mailing a restock alert."""
    row = ShopperPreferences.objects.filter(user=user).first()
    genres = tuple(row.favourite_genres.order_by("slug").values_list("slug", flat=True)) if row else ()
    row = row or ShopperPreferences()  # the model's defaults
    return Preferences(
        restock_alerts=row.restock_alerts,
        review_invites=row.review_invites,
        marketing_emails=row.marketing_emails,
        favourite_genres=genres,
    )

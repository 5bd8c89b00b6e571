"""Catalog reads, shaped once for the API, the shop pages and the admin."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.lookups import In
from django.urls import reverse
from django.utils.http import urlencode

from core.compiled_query import CompiledQuery
from core.errors import NotFound
from core.limits import MAX_ID
from core.pagination import CompiledList

from .isbn import isbn_normalize
from .models import (
    Book,
    BookRelation,
    Genre,
    PreBooking,
    SearchTerm,
    ShopperPreferences,
    StockMovement,
    WishlistItem,
)
from .search import fulltext_search, search_words, words_search
from .spelling import fold, spelling_suggest


@dataclass
class GenreNode:
    genre: Genre
    children: list["GenreNode"] = field(default_factory=list)


_GENRES = CompiledQuery(lambda: Genre.objects.order_by("name", "id"))


def genre_tree() -> list[GenreNode]:
    """Every genre nested under its parent, top level first, each level by name; one query (compiled
    once: a book page rendered afresh asks for it, for the book's breadcrumbs)."""
    nodes = {genre.pk: GenreNode(genre) for genre in _GENRES.instances()}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.genre.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def genre_tree_path(nodes: list[GenreNode], slug: str) -> list[Genre]:
    """The path from the top level down to the genre with this slug, found in a `genre_tree` (so a genre
    page names its genre and breadcrumbs with no query of its own); [] for an unknown slug."""
    for node in nodes:
        if node.genre.slug == slug:
            return [node.genre]
        below = genre_tree_path(node.children, slug)
        if below:
            return [node.genre, *below]
    return []


# Between the names in `Book.genre_names`.
GENRE_NAMES_SEPARATOR = " / "


def genre_names_by_id() -> dict[int, str]:
    """Every genre's `Book.genre_names` value (its name after those of the genres above it); one query."""
    genres = {
        pk: (name, parent_id) for pk, name, parent_id in Genre.objects.values_list("pk", "name", "parent")
    }
    names = {}
    for genre_id in genres:
        path, seen, current = [], set(), genre_id
        while current is not None and current not in seen:
            seen.add(current)
            path.insert(0, genres[current][0])
            current = genres[current][1]
        names[genre_id] = GENRE_NAMES_SEPARATOR.join(path)
    return names


def genre_path(genre: Genre) -> list[Genre]:
    """The genre's ancestors from the top level down, ending with the genre itself (breadcrumbs): no
    query for a top-level genre, one (the `genre_tree`) for any other, however deep."""
    if genre.parent_id is None:
        return [genre]
    return genre_tree_path(genre_tree(), genre.slug) or [genre]


def book_queryset() -> QuerySet:
    """Active books with what every listing shows (the genre) joined in."""
    return Book.objects.filter(is_active=True).select_related("genre")


NEWEST_FIRST = ("-created_at", "-id")  # a list's order when none is asked for

# The catalog as browsed (no filter, no order asked for), the list asked for most: compiled once.
_NEWEST_BOOKS = CompiledQuery(lambda: book_queryset().order_by(*NEWEST_FIRST))


def books_newest_first() -> CompiledList:
    """The active books, newest first, to be paged (core/pagination.py): each page one compiled query."""
    return CompiledList(_NEWEST_BOOKS, name="books-newest-first", counted=book_queryset)


def books_in_genres(queryset: QuerySet, genre_ids: Iterable[int]) -> QuerySet:
    """The books filed under these genres. Said as a lookup expression on the book's own column:
    `genre_id__in=` would make the genre a list joins in (`select_related`) an INNER JOIN, and MariaDB
    then reads the genres first and sorts every book filed under them (1.8 s for a large genre of a
    million books) instead of walking the list's index until the page is full (milliseconds). The ids
    are sorted, so the same genres always make the same SQL (the list's count is kept under it)."""
    return queryset.filter(In(F("genre_id"), sorted(genre_ids)))


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


# Every book page rendered afresh reads its book: compiled once (core/compiled_query.py).
_ACTIVE_BOOK = CompiledQuery(lambda book_id: book_queryset().filter(pk=book_id))


def _active_books(book_ids: list) -> QuerySet:
    return book_queryset().filter(pk__in=book_ids).order_by()


_ACTIVE_BOOKS = CompiledQuery(_active_books)


def books_active_by_id(*, book_ids: list[int]) -> dict[int, Book]:
    """The active ones of these books (a page of search hits, say) by id, with their genres."""
    return {book.pk: book for book in _ACTIVE_BOOKS.instances(book_ids=book_ids)} if book_ids else {}


def book_get_active(*, book_id: int) -> Book:
    found = _ACTIVE_BOOK.instances(book_id=book_id) if 0 < book_id <= MAX_ID else []
    if not found:
        raise NotFound("No such book in the catalog.")
    return found[0]


@dataclass(frozen=True)
class ShopperBookState:
    on_wishlist: bool
    waiting_prebooking_id: int | None


# Every logged-in view of a book page asks: one query, compiled once (core/compiled_query.py).
_SHOPPER_BOOK_STATE = CompiledQuery(
    lambda user_id, book_id: (
        Book.objects.filter(pk=book_id)
        .order_by()
        .values_list(
            Exists(WishlistItem.objects.filter(user_id=user_id, book_id=book_id)),
            Subquery(
                PreBooking.objects.filter(user_id=user_id, book_id=book_id, status=PreBooking.Status.WAITING)
                .order_by()
                .values("pk")[:1]
            ),
        )[:1]
    )
)


def shopper_book_state(*, user, book_id: int) -> ShopperBookState:
    """What the book page shows this shopper about the book: on their wishlist, waiting to be told (at
    most one waiting pre-booking per shopper and title: a unique index says so)."""
    if not user.is_authenticated:
        return ShopperBookState(on_wishlist=False, waiting_prebooking_id=None)
    on_wishlist, waiting_id = _SHOPPER_BOOK_STATE.first(user_id=user.pk, book_id=book_id) or (False, None)
    return ShopperBookState(on_wishlist=bool(on_wishlist), waiting_prebooking_id=waiting_id)


def wishlist_for_user(*, user) -> QuerySet:
    """The user's wishlist, newest first; books that left the catalog are not shown. Each item knows the
    user's waiting pre-booking of its book (`waiting_prebooking_id`, or None), so the wishlist offers
    "Notify me" only for titles not asked about yet, as the book page does; in the same query."""
    waiting = PreBooking.objects.filter(
        user=user, book=OuterRef("book"), status=PreBooking.Status.WAITING
    ).values("pk")[:1]
    return (
        WishlistItem.objects.filter(user=user, book__is_active=True)
        .select_related("book__genre")
        .annotate(waiting_prebooking_id=waiting)
        .order_by("-created_at", "-id")
    )


def prebooking_list_for_user(*, user) -> QuerySet:
    return PreBooking.objects.filter(user=user).select_related("book__genre").order_by("-created_at", "-id")


def prebooking_waiting_list_for_user(*, user) -> QuerySet:
    """The titles the user waits for (the "Notify me" page), newest first, books still in the catalog."""
    return prebooking_list_for_user(user=user).filter(status=PreBooking.Status.WAITING, book__is_active=True)


# --- Related books ---------------------------------------------------------------------------------

RELATED_LIMIT = 6


@dataclass(frozen=True)
class RelatedBooks:
    also_bought: list[Book]
    by_author: list[Book]


def book_related(*, book: Book) -> RelatedBooks:
    """ "Customers also bought" (the co-purchases `refresh_related_books` stored, most frequent first)
    and "More by this author" (their other books, bestsellers first); two indexed queries, compiled once
    (every book page rendered afresh asks)."""
    relations = _ALSO_BOUGHT.instances(book_id=book.pk)
    return RelatedBooks(
        also_bought=[relation.related for relation in relations],
        by_author=_BY_AUTHOR.instances(author=book.author, book_id=book.pk),
    )


_ALSO_BOUGHT = CompiledQuery(
    lambda book_id: (
        BookRelation.objects.filter(book_id=book_id, related__is_active=True)
        .select_related("related__genre")
        .order_by("-score", "related_id")[:RELATED_LIMIT]
    )
)


def _by_author(author: str, book_id: int) -> QuerySet:
    return (
        book_queryset()
        .filter(author=author)
        .exclude(pk=book_id)
        .order_by("-units_sold_30d", "-created_at", "-id")[:RELATED_LIMIT]
    )


_BY_AUTHOR = CompiledQuery(_by_author)


# --- What recommendations are made of (the orders app's "Picked for you") ---------------------------


def wishlist_book_ids(*, user) -> set[int]:
    return set(WishlistItem.objects.filter(user=user).values_list("book_id", flat=True))


def books_bought_with(*, book_ids: set[int], limit: int) -> list[int]:
    """Books most often bought together with any of these (their "customers also bought" scores
    added up), leaving those out; one aggregate query."""
    rows = (
        BookRelation.objects.filter(book_id__in=book_ids, related__is_active=True, related__stock__gt=0)
        .exclude(related_id__in=book_ids)
        .values("related_id")
        .annotate(total=Sum("score"))
        .order_by("-total", "related_id")
        .values_list("related_id", flat=True)
    )
    return list(rows[:limit])


def genre_ids_under(*, genre_ids: set[int] = frozenset(), slugs: Iterable[str] = ()) -> set[int]:
    """These genres (by id or slug) and every genre below them; one query whatever the depth."""
    wanted = set(slugs)
    children: dict[int | None, list[int]] = {}
    frontier = set(genre_ids)
    for pk, slug, parent_id in Genre.objects.values_list("pk", "slug", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
        if slug in wanted:
            frontier.add(pk)
    found = set()
    while frontier:
        found |= frontier
        frontier = {child for pk in frontier for child in children.get(pk, ())} - found
    return found


# --- Search suggestions ----------------------------------------------------------------------------

SUGGEST_MIN_LENGTH = 2
SUGGEST_MAX_LENGTH = 100


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "search" (complete the words), "genre", "author", "book" or "correction"
    label: str
    url: str
    detail: str = ""


def _search_url(text: str) -> str:
    return f"{reverse('catalog:home')}?{urlencode({'search': text})}"


def search_suggestions(text: str) -> list[Suggestion]:
    """What the search box offers while the shopper types: the text completed with catalog words
    (the vocabulary of catalog/spelling.py, most used first), genres named like it, authors and titles
    that start with it, at most 12 in all; when nothing matches, "Did you mean …". Each part is one
    small indexed query (prefix ranges on the vocabulary, `author` and `title`), so it stays fast on a
    million books."""
    text = " ".join(text.split())[:SUGGEST_MAX_LENGTH]
    if len(text) < SUGGEST_MIN_LENGTH:
        return []
    *before, last = text.split(" ")
    completions = (
        SearchTerm.objects.filter(word__istartswith=fold(last))
        .order_by("-book_count", "word")
        .values_list("word", flat=True)[:3]
        if fold(last).isalpha()
        else []
    )
    suggestions = [
        Suggestion("search", completed, _search_url(completed))
        for completed in (" ".join([*before, word]) for word in completions)
        if completed.casefold() != text.casefold()
    ]
    suggestions += [
        Suggestion("genre", genre.name, f"{reverse('catalog:home')}?{urlencode({'genre': genre.slug})}")
        for genre in Genre.objects.filter(name__icontains=text).order_by("name")[:3]
    ]
    authors = (
        book_queryset().filter(author__istartswith=text).order_by("author").values_list("author", flat=True)
    )
    suggestions += [Suggestion("author", author, _search_url(author)) for author in authors.distinct()[:2]]
    suggestions += [
        Suggestion("book", book.title, reverse("catalog:book_detail", args=[book.pk]), f"by {book.author}")
        for book in book_queryset().filter(title__istartswith=text).order_by("title", "id")[:4]
    ]
    if not suggestions:
        correction = spelling_suggest(text)
        if correction:
            suggestions.append(Suggestion("correction", correction, _search_url(correction)))
    return suggestions


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

"""Catalog reads, shaped once for the API, the shop pages and the admin."""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import QuerySet

from core.errors import NotFound

from .isbn import isbn_normalize
from .models import Book, Genre, PreBooking, Review, WishlistItem
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


def book_get(*, book_id: int) -> Book:
    return book_queryset().get(pk=book_id)


def book_get_active(*, book_id: int) -> Book:
    book = book_queryset().filter(pk=book_id).first()
    if book is None:
        raise NotFound("No such book in the catalog.")
    return book


def review_list_for_book(*, book_id: int) -> QuerySet:
    """The book's visible reviews, newest first, with their authors joined in."""
    return (
        Review.objects.filter(book_id=book_id, deleted_at__isnull=True)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def review_get_visible(*, review_id: int) -> Review:
    review = Review.objects.filter(pk=review_id, deleted_at__isnull=True).select_related("user").first()
    if review is None:
        raise NotFound("No such review.")
    return review


@dataclass(frozen=True)
class ReviewerStanding:
    """Where one customer stands with one book's reviews, for the book page to offer the right thing.

    It mirrors `services.review_create`'s rules for display only; the service checks them again, under
    its locks, whatever the page offered.
    """

    own_review: Review | None  # their visible review, which they may edit or delete
    removed_by_moderator: bool  # their review was removed by staff: it may not be posted again
    has_purchased: bool  # a paid (or later) order of theirs contains the book

    @property
    def can_review(self) -> bool:
        """Bought the book and has not reviewed it yet (or deleted their own review)."""
        return self.has_purchased and self.own_review is None and not self.removed_by_moderator


def reviewer_standing(*, user, book_id: int) -> ReviewerStanding:
    if not user.is_authenticated:
        return ReviewerStanding(own_review=None, removed_by_moderator=False, has_purchased=False)
    # Imported here: orders.selectors reads the catalog's selectors at import time.
    from orders.selectors import book_purchased_by

    review = Review.objects.filter(user=user, book_id=book_id).select_related("user").first()
    return ReviewerStanding(
        own_review=review if review is not None and review.deleted_at is None else None,
        removed_by_moderator=review is not None and review.removed_by_moderator,
        has_purchased=book_purchased_by(user=user, book_id=book_id),
    )


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

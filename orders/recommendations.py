""" "Picked for you": books a customer may like, from what they bought (paid or later), what is on their
wishlist and the genres they like, computed in the database when asked for.

In order of strength: books other customers bought together with theirs ("customers also bought",
`catalog.BookRelation`, refreshed by `refresh_related_books`), other books by their authors, bestsellers
of their favourite genres and then of the genres they bought from, and, to fill up (or for a newcomer),
the shop's bestsellers. Only books in the catalog and in stock, never one they bought or wished for.
At most eleven indexed queries whatever the customer's history: no query per book.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.models import Book
from catalog.selectors import (
    book_queryset,
    books_bought_with,
    books_in_genres,
    genre_ids_under,
    preferences_for,
    wishlist_book_ids,
)

from .models import SOLD_STATUSES, OrderItem

MAX_RECOMMENDATIONS = 50


class Reason:
    BOUGHT_TOGETHER = "bought_together"
    SAME_AUTHOR = "same_author"
    FAVOURITE_GENRE = "favourite_genre"
    SAME_GENRE = "same_genre"
    BESTSELLER = "bestseller"


REASON_LABELS = {
    Reason.BOUGHT_TOGETHER: "Often bought with your books",
    Reason.SAME_AUTHOR: "By an author you read",
    Reason.FAVOURITE_GENRE: "In a genre you like",
    Reason.SAME_GENRE: "In a genre you read",
    Reason.BESTSELLER: "A bestseller",
}


@dataclass(frozen=True)
class Recommendation:
    book: Book
    reason: str

    @property
    def reason_label(self) -> str:
        return REASON_LABELS[self.reason]


def _popular(queryset, *, excluded: set[int], limit: int) -> list[int]:
    """In-stock books of the queryset, bestsellers first, leaving the excluded out."""
    rows = (
        queryset.filter(stock__gt=0)
        .exclude(pk__in=excluded)
        .order_by("-units_sold_30d", "-review_count", "-id")
        .values_list("pk", flat=True)
    )
    return list(rows[:limit])


def recommendations_for_user(
    *, user, favourite_genre_slugs: Iterable[str] | None = None, limit: int = MAX_RECOMMENDATIONS
) -> list[Recommendation]:
    """Up to `limit` books for the user, strongest reason first (see the module docstring).

    `favourite_genre_slugs`: the genres the customer said they like, by default their shopping
    preferences' (catalog.selectors.preferences_for); they count for more than the genres of past
    purchases.
    """
    if favourite_genre_slugs is None:
        favourite_genre_slugs = preferences_for(user=user).favourite_genres
    bought = set(
        OrderItem.objects.filter(order__user=user, order__status__in=SOLD_STATUSES).values_list(
            "book_id", flat=True
        )
    )
    seeds = bought | wishlist_book_ids(user=user)
    picks: dict[int, str] = {}

    def add(book_ids: list[int], reason: str) -> None:
        for book_id in book_ids:
            picks.setdefault(book_id, reason)

    authors, seed_genres = set(), set()
    if seeds:
        add(books_bought_with(book_ids=seeds, limit=limit), Reason.BOUGHT_TOGETHER)
        for author, genre_id in Book.objects.filter(pk__in=seeds).values_list("author", "genre_id"):
            authors.add(author)
            seed_genres.add(genre_id)
        add(
            _popular(book_queryset().filter(author__in=authors), excluded=seeds | picks.keys(), limit=limit),
            Reason.SAME_AUTHOR,
        )
    favourite_slugs = set(favourite_genre_slugs)
    seed_genres.discard(None)
    for reason, genre_ids in (
        (Reason.FAVOURITE_GENRE, genre_ids_under(slugs=favourite_slugs) if favourite_slugs else set()),
        (Reason.SAME_GENRE, genre_ids_under(genre_ids=seed_genres) if seed_genres else set()),
    ):
        if genre_ids and len(picks) < limit:
            genre_books = books_in_genres(book_queryset(), genre_ids)
            add(_popular(genre_books, excluded=seeds | picks.keys(), limit=limit), reason)
    if len(picks) < limit:
        add(_popular(book_queryset(), excluded=seeds | picks.keys(), limit=limit), Reason.BESTSELLER)
    chosen = list(picks.items())[:limit]
    books = book_queryset().in_bulk([book_id for book_id, _ in chosen])
    return [
        Recommendation(book=books[book_id], reason=reason) for book_id, reason in chosen if book_id in books
    ]

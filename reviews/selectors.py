"""Review reads: a book's visible reviews and where one customer stands with them."""

from dataclasses import dataclass

from django.db.models import Exists, QuerySet, Subquery

from catalog.models import Book
from core.compiled_query import CompiledQuery
from core.errors import NotFound
from orders.selectors import book_purchases_by

from .models import Review


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

    It mirrors `reviews.services.review_create`'s rules for display only; the service checks them again, under
    its locks, whatever the page offered.
    """

    own_review: Review | None  # their visible review, which they may edit or delete
    removed_by_moderator: bool  # their review was removed by staff: it may not be posted again
    has_purchased: bool  # a paid (or later) order of theirs contains the book

    @property
    def can_review(self) -> bool:
        """Bought the book and has not reviewed it yet (or deleted their own review)."""
        return self.has_purchased and self.own_review is None and not self.removed_by_moderator


# Every logged-in view of a book page asks: one query, compiled once (core/compiled_query.py).
_REVIEW_AND_PURCHASE = CompiledQuery(
    lambda user_id, book_id: (
        Book.objects.filter(pk=book_id)
        .order_by()
        .values_list(
            Subquery(Review.objects.filter(user_id=user_id, book_id=book_id).order_by().values("pk")[:1]),
            Exists(book_purchases_by(user=user_id, book_id=book_id)),
        )[:1]
    )
)


def reviewer_standing(*, user, book_id: int) -> ReviewerStanding:
    if not user.is_authenticated:
        return ReviewerStanding(own_review=None, removed_by_moderator=False, has_purchased=False)
    # One query for a shopper who has not reviewed the book (one review per shopper and book: a unique
    # constraint), a second only to read their review.
    review_id, has_purchased = _REVIEW_AND_PURCHASE.first(user_id=user.pk, book_id=book_id) or (None, False)
    review = Review.objects.select_related("user").get(pk=review_id) if review_id else None
    return ReviewerStanding(
        own_review=review if review is not None and review.deleted_at is None else None,
        removed_by_moderator=review is not None and review.removed_by_moderator,
        has_purchased=bool(has_purchased),
    )

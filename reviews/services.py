"""Review writes: a verified buyer's review, its edits, soft deletion and moderation undo.

Lock order: the book row (`catalog.services.book_lock_active`), then the review row. The book lock
serialises every review write of one title, so its aggregates are recomputed from a stable set of
reviews and can never drift.
"""

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from catalog.models import Book
from catalog.services import book_lock_active, book_rating_set
from core.db import lock_retrying
from core.errors import Duplicate, NotFound
from orders.selectors import book_purchased_by

from .exceptions import NotPurchased, NotReviewOwner
from .models import Review

logger = logging.getLogger(__name__)


def _book_rating_refresh(*, book_id: int) -> None:
    """Recompute the book's average and count from its visible reviews (caller holds the book lock)."""
    totals = Review.objects.filter(book_id=book_id, deleted_at__isnull=True).aggregate(
        count=Count("id"), total=Sum("rating")
    )
    count = totals["count"]
    average = (
        (Decimal(totals["total"]) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if count
        else None
    )
    book_rating_set(book_id=book_id, average=average, count=count)


@lock_retrying
@transaction.atomic
def review_create(*, user, book_id: int, rating: int, text: str = "") -> Review:
    """A verified buyer's review. Posting again after the owner deleted theirs rewrites that same row
    (one row per user and book); a review a moderator removed stays removed."""
    book = book_lock_active(book_id)
    if not book_purchased_by(user=user, book_id=book.pk):
        raise NotPurchased()
    review = Review.objects.select_for_update().filter(user=user, book=book).first()
    if review is not None and review.deleted_at is None:
        raise Duplicate("You have already reviewed this book; edit your review instead.")
    if review is not None and review.removed_by_moderator:
        raise Duplicate("Your review of this book was removed by a moderator.")
    if review is None:
        review = Review(user=user, book=book)
    review.rating, review.text, review.verified_purchase = rating, text, True
    review.deleted_at = review.deleted_by = None
    review.created_at = timezone.now()
    review.save()
    _book_rating_refresh(book_id=book.pk)
    return review


def _lock_review(review_id: int, *, include_deleted: bool = False) -> Review:
    """Lock the review's book, then the review itself (a deleted review is not found unless asked for)."""
    reviews = Review.objects.all() if include_deleted else Review.objects.filter(deleted_at__isnull=True)
    book_id = reviews.filter(pk=review_id).values_list("book_id", flat=True).first()
    if book_id is None:
        raise NotFound("No such review.")
    list(Book.objects.select_for_update().filter(pk=book_id).values_list("pk", flat=True))
    review = reviews.select_for_update().filter(pk=review_id).first()
    if review is None:  # deleted while we waited for the book lock
        raise NotFound("No such review.")
    return review


@lock_retrying
@transaction.atomic
def review_update(*, actor, review_id: int, rating: int | None = None, text: str | None = None) -> Review:
    review = _lock_review(review_id)
    if review.user_id != actor.pk:
        raise NotReviewOwner()
    if rating is not None:
        review.rating = rating
    if text is not None:
        review.text = text
    review.save(update_fields=["rating", "text", "updated_at"])
    _book_rating_refresh(book_id=review.book_id)
    return review


@lock_retrying
@transaction.atomic
def review_delete(*, actor, review_id: int) -> None:
    """Soft delete by the owner or by staff: the review leaves the lists and the book's aggregates."""
    review = _lock_review(review_id)
    if review.user_id != actor.pk and not actor.is_staff:
        raise NotReviewOwner("You can only delete your own review.")
    review.deleted_at, review.deleted_by = timezone.now(), actor
    review.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _book_rating_refresh(book_id=review.book_id)
    logger.info("review %s on book %s deleted by user %s", review.pk, review.book_id, actor.pk)


@lock_retrying
@transaction.atomic
def review_restore(*, review_id: int) -> Review:
    """Moderation undo (admin): the review counts again."""
    review = _lock_review(review_id, include_deleted=True)
    if review.deleted_at is not None:
        review.deleted_at = review.deleted_by = None
        review.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        _book_rating_refresh(book_id=review.book_id)
    return review

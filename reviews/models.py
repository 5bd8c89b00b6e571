"""Customers' reviews of the books they bought.

The table keeps the name it had while reviews lived in the catalog app (`catalog_review`): moving the
model to this app changed no row (see migrations/0001_initial.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The longest review text the API and the book page accept.
REVIEW_TEXT_MAX_LENGTH = 5000


class Review(models.Model):
    """A customer's rating of a book they bought.

    One row per user and book, enforced by the database. Deleting is soft (`deleted_at`), so the row
    stays for moderation; the owner may post again later, which revives and rewrites that same row.
    The book's `avg_rating` and `review_count` count only rows that are not deleted.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="reviews", on_delete=models.PROTECT)
    book = models.ForeignKey("catalog.Book", related_name="reviews", on_delete=models.PROTECT)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(blank=True)
    verified_purchase = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "catalog_review"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "book"], name="review_one_per_user_book"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["book", "deleted_at", "created_at"], name="review_book_visible_idx")]

    def __str__(self):
        return f"{self.rating}★ by {self.user_id} on book {self.book_id}"

    @property
    def removed_by_moderator(self) -> bool:
        """Deleted by someone other than its author: then the author may not post it again."""
        return self.deleted_at is not None and self.deleted_by_id != self.user_id

"""Catalog representations. Input fields check shape only (a number, a text); whether a book or a genre
is valid is `catalog.validation`'s, which the services apply for the API, the admin and the import alike."""

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.fields import AnyDecimalField
from core.limits import MAX_ID

from .models import Book, Genre, PreBooking, StockMovement, WishlistItem
from .validation import BOOK_MAX_PRICE, BOOK_MAX_STOCK


class GenreSerializer(serializers.ModelSerializer):
    name = serializers.CharField(allow_blank=True, help_text="At most 100 characters.")
    slug = serializers.CharField(
        allow_blank=True, help_text="Lower-case letters, digits and hyphens; unique."
    )
    parent = serializers.PrimaryKeyRelatedField(queryset=Genre.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Genre
        fields = ["id", "name", "slug", "parent"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new title",
            request_only=True,
            value={
                "title": "The Lighthouse Keeper's Almanac",
                "author": "Maren Holt",
                "isbn": "978-0-306-40615-7",
                "description": "A year of tides, storms and letters on a northern island.",
                "price": "18.50",
                "stock": 12,
                "genre": "literary-fiction",
            },
        )
    ]
)
class BookSerializer(serializers.ModelSerializer):
    title = serializers.CharField(
        allow_blank=True, required=False, help_text="Required; at most 255 characters."
    )
    author = serializers.CharField(
        allow_blank=True, required=False, help_text="Required; at most 255 characters."
    )
    description = serializers.CharField(allow_blank=True, required=False)
    price = AnyDecimalField(help_text=f"Above 0, at most {BOOK_MAX_PRICE}, two decimal places at most.")
    stock = serializers.IntegerField(required=False, help_text=f"0 to {BOOK_MAX_STOCK} copies.")
    isbn = serializers.CharField(allow_blank=True, help_text="ISBN-10 or ISBN-13; stored as ISBN-13.")
    genre = serializers.SlugRelatedField(
        slug_field="slug", queryset=Genre.objects.all(), allow_null=True, required=False
    )
    tax_class = serializers.CharField(
        required=False, help_text="`standard`, `reduced` (the default) or `zero`: which tax rate applies."
    )
    cover_url = serializers.SerializerMethodField()

    class Meta:
        model = Book
        fields = [
            "id",
            "title",
            "author",
            "isbn",
            "description",
            "price",
            "stock",
            "genre",
            "tax_class",
            "cover_url",
            "avg_rating",
            "review_count",
            "created_at",
        ]
        read_only_fields = ["id", "cover_url", "avg_rating", "review_count", "created_at"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_url(self, book) -> str | None:
        if not book.cover:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(book.cover.url) if request else book.cover.url

    def to_representation(self, book) -> dict:
        """The book as the fields above show it, built directly. Every list, search and book answer
        comes through here, and DRF's field-by-field path (with a ModelSerializer building its fields
        afresh for each answer) cost more than the database did. The fields' own formats are used
        (`_AMOUNT`, `_RATING`, `_MOMENT`); catalog/tests/test_book_representation.py holds the two paths
        to the same output."""
        return {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "isbn": book.isbn,
            "description": book.description,
            "price": _AMOUNT.to_representation(book.price),
            "stock": book.stock,
            "genre": book.genre.slug if book.genre_id is not None else None,
            "tax_class": str(book.tax_class),
            "cover_url": self.get_cover_url(book),
            "avg_rating": None if book.avg_rating is None else _RATING.to_representation(book.avg_rating),
            "review_count": book.review_count,
            "created_at": _MOMENT.to_representation(book.created_at),
        }


# The formats BookSerializer.to_representation borrows (read-only: no state of their own).
_AMOUNT = AnyDecimalField()
_RATING = serializers.DecimalField(max_digits=3, decimal_places=2)
_MOMENT = serializers.DateTimeField()


STOCK_CHANGE_REASONS = [
    StockMovement.Reason.CORRECTION,
    StockMovement.Reason.RESTOCK,
    StockMovement.Reason.DAMAGED,
    StockMovement.Reason.RETURN,
    StockMovement.Reason.OTHER,
    StockMovement.Reason.ADJUSTMENT,
]


class StockUpdateSerializer(serializers.Serializer):
    stock = serializers.IntegerField(help_text=f"The count a stock-take found: 0 to {BOOK_MAX_STOCK}.")
    reason = serializers.ChoiceField(
        choices=[(reason.value, reason.label) for reason in STOCK_CHANGE_REASONS],
        default=StockMovement.Reason.ADJUSTMENT,
        help_text="Why the stock changed (the stock ledger's reason).",
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class CoverUploadSerializer(serializers.Serializer):
    image = serializers.FileField()


class CoverSerializer(serializers.Serializer):
    cover_url = serializers.URLField()


class BookIdSerializer(serializers.Serializer):
    book_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class WishlistItemSerializer(serializers.ModelSerializer):
    book = BookSerializer(read_only=True)

    class Meta:
        model = WishlistItem
        fields = ["book_id", "book", "created_at"]
        read_only_fields = fields


class PreBookingSerializer(serializers.ModelSerializer):
    book = BookSerializer(read_only=True)

    class Meta:
        model = PreBooking
        fields = ["id", "book_id", "book", "status", "created_at", "notified_at", "cancelled_at"]
        read_only_fields = fields


class StockMovementSerializer(serializers.ModelSerializer):
    """A row of the stock ledger: what changed, why, by whom, for which book (and order)."""

    isbn = serializers.CharField(source="book.isbn")
    title = serializers.CharField(source="book.title")
    actor_email = serializers.EmailField(source="actor.email", allow_null=True, default=None)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "created_at",
            "book_id",
            "isbn",
            "title",
            "delta",
            "stock_after",
            "reason",
            "note",
            "order_id",
            "actor_id",
            "actor_email",
        ]
        read_only_fields = fields


class PreferencesSerializer(serializers.Serializer):
    """The shopper's preferences: which mail about books they want, and their favourite genres (slugs)."""

    restock_alerts = serializers.BooleanField()
    review_invites = serializers.BooleanField()
    marketing_emails = serializers.BooleanField()
    favourite_genres = serializers.ListField(child=serializers.SlugField(max_length=120), max_length=100)


class PreferencesUpdateSerializer(PreferencesSerializer):
    """A PATCH: every field optional; `favourite_genres` replaces the whole list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class RelatedBooksSerializer(serializers.Serializer):
    also_bought = BookSerializer(
        many=True,
        read_only=True,
        help_text=(
            "Customers also bought: the books most often in the same paid orders as this one, most "
            "frequent first (at most 6; recomputed periodically by `refresh_related_books`)."
        ),
    )
    by_author = BookSerializer(
        many=True,
        read_only=True,
        help_text="More by this author: their other books in the catalog, bestsellers first (at most 6).",
    )

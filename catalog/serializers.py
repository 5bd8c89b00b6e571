from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .isbn import isbn_validate
from .models import Book, Genre, PreBooking, WishlistItem

MAX_PRICE = Decimal("99999999.99")


class GenreSerializer(serializers.ModelSerializer):
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
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_PRICE
    )
    stock = serializers.IntegerField(min_value=0, max_value=2_000_000_000, required=False)
    isbn = serializers.CharField(max_length=17)
    genre = serializers.SlugRelatedField(
        slug_field="slug", queryset=Genre.objects.all(), allow_null=True, required=False
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
            "cover_url",
            "avg_rating",
            "review_count",
            "created_at",
        ]
        read_only_fields = ["id", "cover_url", "avg_rating", "review_count", "created_at"]

    def validate_isbn(self, value):
        try:
            return isbn_validate(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_url(self, book) -> str | None:
        if not book.cover:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(book.cover.url) if request else book.cover.url


class StockUpdateSerializer(serializers.Serializer):
    stock = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class CoverUploadSerializer(serializers.Serializer):
    image = serializers.FileField()


class CoverSerializer(serializers.Serializer):
    cover_url = serializers.URLField()


class BookIdSerializer(serializers.Serializer):
    book_id = serializers.IntegerField(min_value=1, max_value=2**53)


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

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from catalog.models import Genre
from catalog.serializers import BookSerializer
from catalog.validation import BOOK_MAX_LOW_STOCK_THRESHOLD
from core.fields import AnyDecimalField
from core.limits import MAX_ID

from .models import Coupon, OrderItem, OrderStatus, OrderStatusChange, ReturnLine, ReturnRequest, Shipment
from .recommendations import REASON_LABELS
from .reports import DEFAULT_COVER_DAYS, MAX_COVER_DAYS, days_of_cover, velocity
from .shipping import MESSAGES as SHIPPING_MESSAGES


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = [
            "book_id",
            "title",
            "unit_price",
            "quantity",
            "line_total",
            "tax_class",
            "discount",
            "tax_rate",
            "tax",
            "refunded_quantity",
        ]


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderStatusChange
        fields = ["from_status", "to_status", "actor", "note", "created_at"]


class HistoryEntrySerializer(serializers.ModelSerializer):
    """One step of the order's history as the customer reads it."""

    status = serializers.ChoiceField(source="to_status", choices=OrderStatus.choices, read_only=True)
    at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = OrderStatusChange
        fields = ["status", "at", "note"]


class ShipmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shipment
        fields = ["carrier", "tracking_number", "tracking_url", "shipped_at"]


class ShippingMethodSerializer(serializers.Serializer):
    """A shipping method as customers see it (and as an order and a quote keep it): `price` is the base
    price, plus `per_item_price` per copy; free once the subtotal after discount reaches `free_over`."""

    code = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=None, decimal_places=2)
    per_item_price = serializers.DecimalField(max_digits=None, decimal_places=2)
    free_over = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    estimated_days_min = serializers.IntegerField()
    estimated_days_max = serializers.IntegerField()


class ShippingMethodQuerySerializer(serializers.Serializer):
    country = serializers.CharField(
        required=False, max_length=2, help_text="ISO 3166-1 alpha-2 code: only methods shipping there."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "US ground",
            description="5.00 plus 1.00 a copy to the US and Canada, free from 50.00.",
            request_only=True,
            value={
                "code": "ground",
                "name": "Ground (3–7 days)",
                "countries": ["US", "CA"],
                "base_price": "5.00",
                "per_item_price": "1.00",
                "free_over": "50.00",
                "estimated_days_min": 3,
                "estimated_days_max": 7,
                "is_active": True,
            },
        )
    ]
)
class AdminShippingMethodSerializer(serializers.Serializer):
    """A method's terms in and out; whether they are valid is `orders.shipping.shipping_method_clean`'s."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(required=False, allow_blank=True, help_text=SHIPPING_MESSAGES["code"])
    name = serializers.CharField(required=False, allow_blank=True)
    countries = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="[] ships everywhere."
    )
    base_price = AnyDecimalField(required=False)
    per_item_price = AnyDecimalField(required=False)
    free_over = AnyDecimalField(required=False, allow_null=True, help_text="null: never free.")
    estimated_days_min = serializers.IntegerField(required=False)
    estimated_days_max = serializers.IntegerField(required=False)
    is_active = serializers.BooleanField(required=False)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "California sales tax",
            request_only=True,
            value={"country": "US", "region": "CA", "tax_class": "reduced", "rate": "0.0725"},
        )
    ]
)
class TaxRateSerializer(serializers.Serializer):
    """A rate's terms in and out; whether they are valid is `orders.taxes.tax_rate_clean`'s."""

    id = serializers.IntegerField(read_only=True)
    country = serializers.CharField(required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2 code.")
    region = serializers.CharField(
        required=False, allow_blank=True, help_text='"" for the whole country; a US state as its code.'
    )
    tax_class = serializers.CharField(
        required=False, allow_blank=True, help_text="standard, reduced or zero."
    )
    rate = AnyDecimalField(decimal_places=4, required=False, help_text='"0.0700" is 7 %; from 0 to 1.')


class OrderLineInputSerializer(serializers.Serializer):
    book_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)


class ReturnLineSerializer(serializers.ModelSerializer):
    book_id = serializers.IntegerField(source="order_item.book_id", read_only=True)
    title = serializers.CharField(source="order_item.title", read_only=True)

    class Meta:
        model = ReturnLine
        fields = ["book_id", "title", "quantity"]


class ReturnRequestSerializer(serializers.ModelSerializer):
    lines = ReturnLineSerializer(many=True, read_only=True)
    order_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReturnRequest
        fields = ["id", "order_id", "status", "reason", "answer", "lines", "created_at", "answered_at"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "One damaged copy",
            request_only=True,
            value={"lines": [{"book_id": 42, "quantity": 1}], "reason": "The cover arrived torn."},
        )
    ]
)
class ReturnCreateSerializer(serializers.Serializer):
    lines = OrderLineInputSerializer(many=True, allow_empty=False)
    reason = serializers.CharField(max_length=500)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Shown to the customer.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Ten percent off",
            description="10% off orders of 30.00 or more, at most 100 times.",
            request_only=True,
            value={"code": "SPRING10", "percent_off": "10.00", "max_uses": 100, "min_subtotal": "30.00"},
        )
    ]
)
class CouponSerializer(serializers.ModelSerializer):
    """A coupon's terms in and out; whether they are valid is `orders.coupons.coupon_clean`'s, which the
    coupon services apply for the API and the admin alike."""

    code = serializers.CharField(allow_blank=True, help_text="Stored upper-case; at most 40 characters.")
    percent_off = AnyDecimalField(required=False, allow_null=True, help_text="Above 0 and at most 100.")
    amount_off = AnyDecimalField(required=False, allow_null=True, help_text="Above 0.")
    min_subtotal = AnyDecimalField(required=False, help_text="0 or more (default 0).")
    max_uses = serializers.IntegerField(required=False, allow_null=True, help_text="Empty means unlimited.")

    class Meta:
        model = Coupon
        fields = [
            "id",
            "code",
            "percent_off",
            "amount_off",
            "valid_from",
            "valid_until",
            "max_uses",
            "used_count",
            "min_subtotal",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "used_count", "created_at"]


class SalesReportQuerySerializer(serializers.Serializer):
    """`?from=&to=` (inclusive days); the view maps the keyword-named parameters onto these fields."""

    date_from = serializers.DateField(required=False, allow_null=True)
    date_to = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"from": ["Must not be after `to`."]})
        return attrs


class TopBookSerializer(serializers.Serializer):
    book_id = serializers.IntegerField()
    title = serializers.CharField()
    quantity = serializers.IntegerField(help_text="Copies sold, less copies refunded.")
    revenue = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text="Line totals of the copies sold and not refunded."
    )


class SalesReportSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text="What the orders were paid, less what was refunded."
    )
    gross_revenue = serializers.DecimalField(max_digits=None, decimal_places=2, help_text="Before refunds.")
    refunded = serializers.DecimalField(max_digits=None, decimal_places=2)
    items_sold = serializers.IntegerField(help_text="Copies sold, less copies refunded.")
    top_books = TopBookSerializer(many=True)


class LowStockQuerySerializer(serializers.Serializer):
    threshold = serializers.IntegerField(
        min_value=0,
        max_value=BOOK_MAX_LOW_STOCK_THRESHOLD,
        required=False,
        help_text="List books at or under this many copies; without it, each book's own `low_stock_threshold`.",
    )


class LowStockBookSerializer(BookSerializer):
    """A book as the low-stock report shows it: with the count at or under which it is low."""

    class Meta(BookSerializer.Meta):
        fields = [*BookSerializer.Meta.fields, "low_stock_threshold"]

    def to_representation(self, book) -> dict:
        return {**super().to_representation(book), "low_stock_threshold": book.low_stock_threshold}


class InventoryQuerySerializer(serializers.Serializer):
    cover_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_COVER_DAYS,
        default=DEFAULT_COVER_DAYS,
        help_text="Days of sales the reorder suggestion covers (default 30).",
    )
    genre = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Genre.objects.all(),
        required=False,
        help_text="A genre's slug: its books and those of its sub-genres.",
    )
    needs_reorder = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only books with (true) or without (false) a suggestion.",
    )


class InventoryRowSerializer(serializers.Serializer):
    """A book's stock against its sales (formulas in orders/reports.py and the README)."""

    book_id = serializers.IntegerField(source="pk")
    isbn = serializers.CharField()
    title = serializers.CharField()
    author = serializers.CharField()
    genre = serializers.CharField(source="genre.slug", allow_null=True, default=None)
    stock = serializers.IntegerField()
    low_stock_threshold = serializers.IntegerField()
    sold_30d = serializers.IntegerField(help_text="Copies sold in paid-or-later orders of the last 30 days.")
    copies_per_day = serializers.SerializerMethodField(help_text="sold_30d / 30.")
    days_of_cover = serializers.SerializerMethodField(
        help_text="stock / copies_per_day; null when nothing sold."
    )
    reorder = serializers.IntegerField(help_text="Suggested copies to order (0: none).")

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_copies_per_day(self, book) -> str:
        return str(velocity(book.sold_30d))

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=1, allow_null=True))
    def get_days_of_cover(self, book) -> str | None:
        cover = days_of_cover(book.days_of_cover)
        return None if cover is None else str(cover)


class RecommendationSerializer(serializers.Serializer):
    book = BookSerializer(read_only=True)
    reason = serializers.ChoiceField(
        choices=list(REASON_LABELS.items()),
        read_only=True,
        help_text="Why it is picked, strongest first in the list.",
    )
    reason_label = serializers.CharField(read_only=True, help_text="The reason, as the shop words it.")

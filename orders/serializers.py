from decimal import Decimal

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from .coupons import coupon_code_validate, coupon_terms_validate
from .models import Coupon, OrderItem, OrderStatusChange


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["book_id", "title", "unit_price", "quantity", "line_total"]


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderStatusChange
        fields = ["from_status", "to_status", "actor", "note", "created_at"]


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
    code = serializers.CharField(max_length=40)
    percent_off = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        required=False,
        allow_null=True,
    )
    amount_off = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False, allow_null=True
    )
    min_subtotal = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), required=False
    )
    max_uses = serializers.IntegerField(min_value=1, max_value=2_000_000_000, required=False, allow_null=True)

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

    def validate_code(self, value):
        return coupon_code_validate(code=value, coupon_id=getattr(self.instance, "pk", None))

    def validate(self, attrs):
        terms = {
            name: attrs.get(name, getattr(self.instance, name, None))
            for name in ("percent_off", "amount_off", "valid_from", "valid_until", "max_uses")
        }
        coupon_terms_validate(**terms, used_count=getattr(self.instance, "used_count", 0))
        return attrs


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
    quantity = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=None, decimal_places=2)


class SalesReportSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=None, decimal_places=2)
    items_sold = serializers.IntegerField()
    top_books = TopBookSerializer(many=True)


class LowStockQuerySerializer(serializers.Serializer):
    threshold = serializers.IntegerField(min_value=0, max_value=1_000_000, default=5)

"""An order as customers and staff read it (lines, figures, payments, history, shipments, refunds), the
checkout's and the quote's input, the quote, and the staff's fulfilment and refund input."""

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.serializers import ADDRESS_EXAMPLE, AddressObjectSerializer, UserSerializer
from core.limits import MAX_ID
from orders.models import COUPON_CODE_MAX_LENGTH, Order, OrderStatus
from orders.selectors import order_count_for_user
from orders.serializers import (
    HistoryEntrySerializer,
    OrderItemSerializer,
    OrderLineInputSerializer,
    ShipmentSerializer,
    ShippingMethodSerializer,
    StatusChangeSerializer,
)
from payments.serializers import OrderPaymentSerializer, RefundSerializer

from .services import CANCEL_REASON_MAX_LENGTH, NOTE_MAX_LENGTH


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    payments = OrderPaymentSerializer(many=True, read_only=True)
    shipping_address = AddressObjectSerializer(read_only=True, allow_null=True)
    shipping_method = ShippingMethodSerializer(read_only=True, allow_null=True)
    history = HistoryEntrySerializer(source="status_changes", many=True, read_only=True)
    shipments = ShipmentSerializer(many=True, read_only=True)
    refunds = RefundSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "items",
            "subtotal",
            "discount",
            "shipping",
            "tax",
            "total",
            "prices_include_tax",
            "currency",
            "shipping_address",
            "shipping_method",
            "note",
            "payments",
            "history",
            "shipments",
            "refunds",
            "refunded_total",
            "created_at",
            "pay_by",
        ]
        read_only_fields = fields


@extend_schema_field(AddressObjectSerializer)
class AddressInputField(serializers.JSONField):
    """The address object. Any JSON is read, so a client still sending the old free-text address is told
    the object's shape by the checkout (`checkout.quotes.shipping_address_resolve`)."""


QUOTE_EXAMPLE = {"address_id": 7, "shipping_method": "standard", "coupon_code": "SPRING10"}
INLINE_ADDRESS_EXAMPLE = {"shipping_address": ADDRESS_EXAMPLE, "shipping_method": "standard"}


@extend_schema_serializer(
    examples=[
        OpenApiExample("A saved address", request_only=True, value=QUOTE_EXAMPLE),
        OpenApiExample("An address typed at checkout", request_only=True, value=INLINE_ADDRESS_EXAMPLE),
    ]
)
class QuoteInputSerializer(serializers.Serializer):
    """Give `address_id` (one of your saved addresses) or `shipping_address` (an address object)."""

    address_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    shipping_address = AddressInputField(required=False)
    shipping_method = serializers.CharField(
        max_length=40, help_text="A method's code (/api/shipping-methods/)."
    )
    coupon_code = serializers.CharField(
        max_length=COUPON_CODE_MAX_LENGTH, required=False, allow_blank=True, allow_null=True
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A saved address and a note",
            request_only=True,
            value={**QUOTE_EXAMPLE, "note": "Please leave the parcel with the neighbour at number 14."},
        ),
        OpenApiExample("An address typed at checkout", request_only=True, value=INLINE_ADDRESS_EXAMPLE),
    ]
)
class CheckoutSerializer(QuoteInputSerializer):
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="", help_text="Shown to staff."
    )


class QuoteLineSerializer(serializers.Serializer):
    book_id = serializers.IntegerField()
    title = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=None, decimal_places=2)
    quantity = serializers.IntegerField()
    line_total = serializers.DecimalField(max_digits=None, decimal_places=2)
    tax_class = serializers.CharField()
    discount = serializers.DecimalField(max_digits=None, decimal_places=2)
    tax_rate = serializers.DecimalField(max_digits=None, decimal_places=4)
    tax = serializers.DecimalField(max_digits=None, decimal_places=2)


class QuoteSerializer(serializers.Serializer):
    """What the order would cost: nothing is stored or reserved. Placing the order with the same input
    gives exactly these figures (unless prices, stock or the coupon change meanwhile)."""

    lines = QuoteLineSerializer(many=True)
    subtotal = serializers.DecimalField(max_digits=None, decimal_places=2, source="figures.subtotal")
    discount = serializers.DecimalField(max_digits=None, decimal_places=2, source="figures.discount")
    shipping = serializers.DecimalField(max_digits=None, decimal_places=2, source="figures.shipping")
    tax = serializers.DecimalField(max_digits=None, decimal_places=2, source="figures.tax")
    total = serializers.DecimalField(max_digits=None, decimal_places=2, source="figures.total")
    prices_include_tax = serializers.BooleanField(source="figures.prices_include_tax")
    currency = serializers.CharField()
    shipping_method = ShippingMethodSerializer()
    shipping_address = AddressObjectSerializer()


class AdminOrderSerializer(OrderSerializer):
    user = serializers.PrimaryKeyRelatedField(read_only=True)
    user_email = serializers.EmailField(source="user.email", read_only=True)
    coupon = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    status_changes = StatusChangeSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "user", "user_email", "coupon", "paid_at", "status_changes"]
        read_only_fields = fields


class AdminOrderUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class MeSerializer(UserSerializer):
    """/api/users/me/: the account (accounts), plus how many of the caller's orders were cancelled."""

    orders_cancelled = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "orders_cancelled"]

    def get_orders_cancelled(self, user) -> int:
        return order_count_for_user(user=user, status=OrderStatus.CANCELLED)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "UPS", request_only=True, value={"carrier": "ups", "tracking_number": "1Z999AA10123456784"}
        )
    ]
)
class ShipSerializer(serializers.Serializer):
    carrier = serializers.CharField(
        max_length=50, help_text="ups, usps, fedex, dhl and royal-mail get a tracking link; any other none."
    )
    tracking_number = serializers.CharField(max_length=100)


class DeliverSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=CANCEL_REASON_MAX_LENGTH, help_text="Shown to the customer.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "One copy back to the shelf",
            request_only=True,
            value={
                "lines": [{"book_id": 42, "quantity": 1}],
                "shipping": False,
                "restock": True,
                "reason": "Returned unread.",
            },
        ),
        OpenApiExample(
            "Answer a return request",
            request_only=True,
            value={
                "lines": [{"book_id": 42, "quantity": 1}],
                "shipping": True,
                "restock": True,
                "reason": "Damaged in transit.",
                "return_id": 3,
            },
        ),
    ]
)
class RefundCreateSerializer(serializers.Serializer):
    lines = OrderLineInputSerializer(many=True, required=False, default=list)
    shipping = serializers.BooleanField(required=False, default=False)
    restock = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(max_length=500, help_text="Shown to the customer.")
    return_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)

"""An order as customers and staff read it (lines, payments, history) and the checkout's input."""

from rest_framework import serializers

from accounts.serializers import UserSerializer
from orders.models import COUPON_CODE_MAX_LENGTH, Order, OrderStatus
from orders.selectors import order_count_for_user
from orders.serializers import OrderItemSerializer, StatusChangeSerializer
from payments.serializers import OrderPaymentSerializer


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    payments = OrderPaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "items",
            "subtotal",
            "discount",
            "total",
            "currency",
            "shipping_address",
            "payments",
            "created_at",
            "pay_by",
        ]
        read_only_fields = fields


class CheckoutSerializer(serializers.Serializer):
    shipping_address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    coupon_code = serializers.CharField(
        max_length=COUPON_CODE_MAX_LENGTH, required=False, allow_blank=True, allow_null=True
    )


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

from django.conf import settings
from rest_framework import serializers

from .models import Payment, Refund, RefundLine


class OrderPaymentSerializer(serializers.ModelSerializer):
    """A payment as its order shows it to the customer: never the client secret."""

    class Meta:
        model = Payment
        fields = ["payment_intent_id", "amount", "currency", "status", "failure_reason", "created_at"]
        read_only_fields = fields


class PaymentIntentSerializer(serializers.ModelSerializer):
    """What Stripe.js needs to collect the payment of an order."""

    publishable_key = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["payment_intent_id", "client_secret", "publishable_key", "amount", "currency"]
        read_only_fields = fields

    def get_publishable_key(self, payment) -> str:
        return settings.STRIPE_PUBLISHABLE_KEY


class AdminPaymentSerializer(serializers.ModelSerializer):
    order = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "order",
            "attempt",
            "payment_intent_id",
            "amount",
            "currency",
            "status",
            "failure_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="What the event did: `order paid`, `duplicate`, `ignored`, …")


class RefundLineSerializer(serializers.ModelSerializer):
    book_id = serializers.IntegerField(source="order_item.book_id", read_only=True)
    title = serializers.CharField(source="order_item.title", read_only=True)

    class Meta:
        model = RefundLine
        fields = ["book_id", "title", "quantity", "amount"]
        read_only_fields = fields


class RefundSerializer(serializers.ModelSerializer):
    """A refund as its order shows it: how much, why, for which copies, and where Stripe is with it."""

    lines = RefundLineSerializer(many=True, read_only=True)
    return_id = serializers.IntegerField(source="return_request_id", read_only=True, allow_null=True)

    class Meta:
        model = Refund
        fields = [
            "id",
            "amount",
            "currency",
            "reason",
            "lines",
            "shipping",
            "shipping_amount",
            "restock",
            "surplus",
            "return_id",
            "created_at",
            "status",
        ]
        read_only_fields = fields

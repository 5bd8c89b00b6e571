"""Stripe payments: one row per PaymentIntent of an order, the refunds that send money back through
Stripe, and the webhook events already handled."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class PaymentStatus(models.TextChoices):
    CREATING = "creating", "Creating (intent being requested from Stripe)"
    REQUIRES_PAYMENT = "requires_payment", "Awaiting the customer's payment"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Canceled"
    NEEDS_REVIEW = "needs_review", "Money received that does not match the order (needs review)"


# An intent in one of these states may still be handed to the customer to pay.
USABLE_STATUSES = (PaymentStatus.CREATING, PaymentStatus.REQUIRES_PAYMENT)


class RefundStatus(models.TextChoices):
    REQUIRED = "required", "Refund due (not yet accepted by Stripe)"
    REQUESTING = "requesting", "Refund being requested"
    # Stripe's own refund statuses, as Stripe last answered them.
    PENDING = "pending", "Refund pending at Stripe"
    SUCCEEDED = "succeeded", "Refunded"
    FAILED = "failed", "Refund failed at Stripe"
    CANCELED = "canceled", "Refund canceled at Stripe"
    REQUIRES_ACTION = "requires_action", "Refund requires action at Stripe"


# What Stripe itself may answer for a refund it has accepted.
STRIPE_REFUND_STATUSES = (
    RefundStatus.PENDING,
    RefundStatus.SUCCEEDED,
    RefundStatus.FAILED,
    RefundStatus.CANCELED,
    RefundStatus.REQUIRES_ACTION,
)


class Payment(models.Model):
    """One Stripe PaymentIntent for an order (an order gets a new one after a failed attempt).

    A row starts as a `creating` placeholder claimed under the order lock, so that two clicks on
    "Pay" make one intent; the intent id and client secret arrive once Stripe has answered.
    """

    order = models.ForeignKey("orders.Order", related_name="payments", on_delete=models.PROTECT)
    attempt = models.PositiveIntegerField(help_text="1, 2, … per order; part of Stripe's idempotency key.")
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.CREATING)
    failure_reason = models.CharField(max_length=255, blank=True)
    client_secret = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt"], name="payment_order_attempt_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="payment_status_recent_idx")]

    def __str__(self):
        return self.payment_intent_id or f"payment {self.pk} (creating)"


class Refund(models.Model):
    """Money going back to the customer through Stripe: copies of some lines (their share of what was
    paid), the shipping, or everything (a cancellation); or, `surplus`, a whole payment the order did not
    need (it arrived after the order was cancelled or paid). `payments.services` asks Stripe for it once
    its transaction has committed; a refund of nothing (a free order) is done at once."""

    order = models.ForeignKey("orders.Order", related_name="refunds", on_delete=models.PROTECT)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, related_name="refunds", on_delete=models.PROTECT
    )
    return_request = models.ForeignKey(
        "orders.ReturnRequest", null=True, blank=True, related_name="refunds", on_delete=models.SET_NULL
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=500, blank=True)
    shipping = models.BooleanField(default=False, help_text="The shipping (with its tax) is refunded too.")
    shipping_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    restock = models.BooleanField(default=False, help_text="The copies went back to stock.")
    surplus = models.BooleanField(
        default=False, help_text="A whole payment the order did not need; not part of its refunded total."
    )
    status = models.CharField(max_length=20, choices=RefundStatus.choices, default=RefundStatus.REQUIRED)
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="refund_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount=0) | Q(payment__isnull=False), name="refund_money_has_a_payment"
            ),
        ]
        indexes = [models.Index(fields=["status", "attempted_at"], name="refund_due_idx")]

    def __str__(self):
        return f"refund {self.pk} of order {self.order_id}: {self.amount} {self.currency} ({self.status})"


class RefundLine(models.Model):
    """Copies of an order line in a refund, and their share of what was paid for the line."""

    refund = models.ForeignKey(Refund, related_name="lines", on_delete=models.CASCADE)
    order_item = models.ForeignKey("orders.OrderItem", related_name="+", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="refundline_quantity_positive")
        ]

    def __str__(self):
        return f"{self.quantity} × item {self.order_item_id}: {self.amount}"


class ProcessedEvent(models.Model):
    """A Stripe webhook event already handled: a redelivery of the same event id changes nothing."""

    stripe_event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    outcome = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.type} {self.stripe_event_id}"

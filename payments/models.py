"""Stripe payments: one row per PaymentIntent of an order, and the webhook events already handled."""

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
    NONE = "", "No refund"
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
    refund_id = models.CharField(max_length=255, blank=True)
    refund_status = models.CharField(
        max_length=20, choices=RefundStatus.choices, default=RefundStatus.NONE, blank=True
    )
    refund_attempted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt"], name="payment_order_attempt_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["refund_status", "refund_attempted_at"], name="payment_refund_due_idx"),
            models.Index(fields=["status", "-created_at"], name="payment_status_recent_idx"),
        ]

    def __str__(self):
        return self.payment_intent_id or f"payment {self.pk} (creating)"


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

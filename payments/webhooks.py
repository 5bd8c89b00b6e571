"""Stripe webhook events: verified, applied once per event id, and the payment rows they change.

`webhook_event_apply_once` records the event and runs the caller's `apply` in one transaction, so a
redelivered event changes nothing. What an event does to its order is the checkout layer's
(`checkout.services.stripe_webhook_receive`); the pieces here only know payments:

- a bad signature, stale timestamp or malformed body raises `InvalidWebhook` (→ 400), nothing changes;
- a database failure is not caught (→ 5xx), so Stripe delivers the event again;
- a success that does not match its payment (wrong amount, currency or order) is recorded on the payment
  (`needs_review`) and logged as an error for an operator: asking Stripe to redeliver an event whose
  content is wrong would only repeat it, for days.
"""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from core.db import with_lock_retry
from orders.models import Order

from . import stripe_client
from .models import Payment, PaymentStatus, ProcessedEvent
from .stripe_client import IntentSnapshot, WebhookEvent

logger = logging.getLogger(__name__)

# A payment in one of these states has had its money's fate decided: later events cannot change it.
SETTLED_STATUSES = (PaymentStatus.SUCCEEDED, PaymentStatus.NEEDS_REVIEW)


def webhook_event_parse(*, payload: bytes, signature: str | None) -> WebhookEvent:
    return stripe_client.webhook_event_parse(payload=payload, signature=signature)


def webhook_event_apply_once(*, event: WebhookEvent, apply: Callable[[IntentSnapshot], str]) -> str:
    """Run `apply` on the event's intent unless this event id was handled before; returns the outcome."""
    return with_lock_retry(lambda: _apply_once(event, apply), label=f"stripe event {event.id}")


@transaction.atomic
def _apply_once(event: WebhookEvent, apply: Callable[[IntentSnapshot], str]) -> str:
    try:
        # A concurrent delivery of the same event waits here on the unique index until this one ends.
        with transaction.atomic():
            record = ProcessedEvent.objects.create(stripe_event_id=event.id, type=event.type)
    except IntegrityError:
        logger.info("stripe event %s (%s) already processed", event.id, event.type)
        return "duplicate"
    outcome = apply(stripe_client.intent_snapshot(event))
    record.outcome = outcome[:255]
    record.save(update_fields=["outcome"])
    logger.info("stripe event %s (%s): %s", event.id, event.type, outcome)
    return outcome


def payment_lock_for_intent(intent: IntentSnapshot) -> Payment | None:
    """The payment of this intent, locked after its order (the lock order every order change uses);
    `payment.order` is the locked order. None for an intent that is not ours."""
    found = Payment.objects.filter(payment_intent_id=intent.id).values_list("pk", "order_id").first()
    if found is None:
        return None
    payment_id, order_id = found
    order = Order.objects.select_for_update().get(pk=order_id)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    payment.order = order
    return payment


def payment_mismatch(payment: Payment, intent: IntentSnapshot) -> str:
    """What about a successful intent does not match the payment we asked for ("" when all does)."""
    if intent.order_id != str(payment.order_id):
        return f"metadata order {intent.order_id!r} is not order {payment.order_id}"
    if intent.currency != payment.currency.upper():
        return f"currency {intent.currency!r} instead of {payment.currency}"
    if intent.amount != payment.amount:
        return f"amount {intent.amount} instead of {payment.amount}"
    return ""


def payment_status_set(payment: Payment, status: str, *, reason: str | None = None) -> None:
    """Record what Stripe said about a locked payment (and why, for failures and reviews)."""
    payment.status = status
    fields = ["status", "updated_at"]
    if reason is not None:
        payment.failure_reason = reason[:255]
        fields.append("failure_reason")
    payment.save(update_fields=fields)

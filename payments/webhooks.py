"""Stripe webhook events: verified, recorded once by event id, and applied to the order atomically.

Answers, as Stripe reads them:
- a bad signature, stale timestamp or malformed body → 400 (`InvalidWebhook`), nothing changes;
- a database failure → 5xx (the exception is not caught), so Stripe delivers the event again;
- everything else → 200, including events we do not handle, redeliveries, and successes that do not
  match their payment (wrong amount, currency or order). Those are recorded on the payment
  (`needs_review`) and logged as errors for an operator: asking Stripe to redeliver an event whose
  content is wrong would only repeat it, for days.
"""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from core.db import with_lock_retry
from core.mail import mail_send_on_commit
from orders.models import Order, OrderStatus
from orders.services import order_transition_locked

from . import stripe_client
from .models import Payment, PaymentStatus, ProcessedEvent
from .services import payment_refund_schedule
from .stripe_client import IntentSnapshot, WebhookEvent

logger = logging.getLogger(__name__)


def webhook_receive(*, payload: bytes, signature: str | None) -> str:
    """Verify and apply one webhook call; returns what it did (for the response and the event record)."""
    event = stripe_client.webhook_event_parse(payload=payload, signature=signature)
    handler = HANDLERS.get(event.type)
    if handler is None:
        logger.info("stripe event %s (%s) ignored: not a type we handle", event.id, event.type)
        return "ignored"
    return with_lock_retry(lambda: _process(event, handler), label=f"stripe event {event.id}")


@transaction.atomic
def _process(event: WebhookEvent, handler: Callable[[IntentSnapshot], str]) -> str:
    try:
        # A concurrent delivery of the same event waits here on the unique index until this one ends.
        with transaction.atomic():
            record = ProcessedEvent.objects.create(stripe_event_id=event.id, type=event.type)
    except IntegrityError:
        logger.info("stripe event %s (%s) already processed", event.id, event.type)
        return "duplicate"
    outcome = handler(stripe_client.intent_snapshot(event))
    record.outcome = outcome[:255]
    record.save(update_fields=["outcome"])
    logger.info("stripe event %s (%s): %s", event.id, event.type, outcome)
    return outcome


def _lock_payment(intent: IntentSnapshot) -> Payment | None:
    """The payment of this intent, locked after its order (the lock order every order change uses)."""
    found = Payment.objects.filter(payment_intent_id=intent.id).values_list("pk", "order_id").first()
    if found is None:
        return None
    payment_id, order_id = found
    order = Order.objects.select_for_update().get(pk=order_id)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    payment.order = order
    return payment


def _mismatch(payment: Payment, intent: IntentSnapshot) -> str:
    if intent.order_id != str(payment.order_id):
        return f"metadata order {intent.order_id!r} is not order {payment.order_id}"
    if intent.currency != payment.currency.upper():
        return f"currency {intent.currency!r} instead of {payment.currency}"
    if intent.amount != payment.amount:
        return f"amount {intent.amount} instead of {payment.amount}"
    return ""


def _on_succeeded(intent: IntentSnapshot) -> str:
    payment = _lock_payment(intent)
    if payment is None:
        logger.error(
            "payment intent %s (order %r per metadata) succeeded but is not one of ours",
            intent.id,
            intent.order_id,
        )
        return "unknown payment intent"
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.NEEDS_REVIEW):
        return f"already {payment.status}"
    order = payment.order
    mismatch = _mismatch(payment, intent)
    if mismatch:
        payment.status = PaymentStatus.NEEDS_REVIEW
        payment.failure_reason = f"Succeeded with {mismatch}."[:255]
        payment.save(update_fields=["status", "failure_reason", "updated_at"])
        logger.error(
            "order %s: payment %s succeeded with %s; order NOT paid, needs review",
            order.pk,
            intent.id,
            mismatch,
        )
        return f"needs review: {mismatch}"
    payment.status = PaymentStatus.SUCCEEDED
    payment.failure_reason = ""
    payment.save(update_fields=["status", "failure_reason", "updated_at"])
    if order.status != OrderStatus.PENDING:
        # Cancelled, expired, or paid by another intent meanwhile: the money goes back, it is never kept.
        logger.warning(
            "order %s is %s: payment %s succeeded too late, refunding", order.pk, order.status, intent.id
        )
        payment_refund_schedule(payment=payment)
        return f"refund: order is {order.status}"
    order_transition_locked(order=order, to_status=OrderStatus.PAID, note=f"Stripe payment {intent.id}.")
    mail_send_on_commit(
        template="payments/email/payment_received",
        to=[order.user.email],
        context={"order": order, "payment": payment, "user": order.user},
    )
    return "order paid"


def _on_failed(intent: IntentSnapshot) -> str:
    """A declined attempt: recorded on the payment; the order stays pending and payable until pay_by."""
    payment = _lock_payment(intent)
    if payment is None:
        logger.warning("payment intent %s failed but is not one of ours", intent.id)
        return "unknown payment intent"
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.NEEDS_REVIEW):
        logger.warning(
            "order %s: payment %s reported failed after it succeeded; ignored", payment.order_id, intent.id
        )
        return f"ignored: already {payment.status}"
    payment.status = PaymentStatus.FAILED
    payment.failure_reason = intent.failure_reason or "The payment failed."
    payment.save(update_fields=["status", "failure_reason", "updated_at"])
    logger.info("order %s: payment %s failed: %s", payment.order_id, intent.id, payment.failure_reason)
    return "payment failed"


def _on_canceled(intent: IntentSnapshot) -> str:
    payment = _lock_payment(intent)
    if payment is None:
        return "unknown payment intent"
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.NEEDS_REVIEW):
        return f"ignored: already {payment.status}"
    payment.status = PaymentStatus.CANCELED
    payment.save(update_fields=["status", "updated_at"])
    return "payment canceled"


HANDLERS: dict[str, Callable[[IntentSnapshot], str]] = {
    "payment_intent.succeeded": _on_succeeded,
    "payment_intent.payment_failed": _on_failed,
    "payment_intent.canceled": _on_canceled,
}

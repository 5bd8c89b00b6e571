"""Payment writes: one usable PaymentIntent per order however often "Pay" is clicked, and refunds.

Stripe is never called inside a transaction. A short transaction claims the work in the database (a
`creating` placeholder row under the order lock, `payment_claim`; a refund moved to `requesting`) and
commits; only the claimer then calls Stripe and records the answer. Anyone else waits for that answer or
finds it done. Which order may be paid, and what a payment does to its order, is `checkout.services`'.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import stripe_client
from .exceptions import PaymentProviderError
from .models import STRIPE_REFUND_STATUSES, USABLE_STATUSES, Payment, PaymentStatus, RefundStatus

logger = logging.getLogger(__name__)

# A placeholder older than this belongs to a worker that died mid-call (a live one gives up sooner:
# two tries of at most 25 seconds each); the next click takes it over with the same idempotency key.
CLAIM_STALE_AFTER = timedelta(seconds=90)
# A refund stuck in `requesting` this long was interrupted; `retry_refunds` asks Stripe again.
REFUND_STALE_AFTER = timedelta(minutes=15)


def payment_claim(*, order) -> tuple[Payment, bool]:
    """Inside the caller's transaction, with the payable order locked: its usable payment
    (`claimed=False`), or a placeholder the caller must fill by `payment_intent_create` (`True`)."""
    now = timezone.now()
    current = (
        order.payments.filter(status__in=USABLE_STATUSES, amount=order.total, currency=order.currency)
        .order_by("-attempt")
        .first()
    )
    if current is None:
        attempt = (order.payments.aggregate(last=Max("attempt"))["last"] or 0) + 1
        placeholder = Payment.objects.create(
            order=order, attempt=attempt, amount=order.total, currency=order.currency
        )
        return placeholder, True
    if current.status == PaymentStatus.CREATING and current.updated_at < now - CLAIM_STALE_AFTER:
        logger.warning("order %s: taking over abandoned payment attempt %s", order.pk, current.attempt)
        current.save(update_fields=["updated_at"])
        return current, True
    return current, False


def _idempotency_key(payment: Payment) -> str:
    # The order's creation time keeps keys unique even if the database is reset against one Stripe account.
    created = int(payment.order.created_at.timestamp())
    return f"order-{payment.order_id}-{created}-attempt-{payment.attempt}"


def payment_intent_create(payment: Payment) -> Payment:
    """Ask Stripe for the intent of a claimed placeholder (never inside a transaction) and record it."""
    try:
        intent = stripe_client.intent_create(
            amount=payment.amount,
            currency=payment.currency,
            order_id=payment.order_id,
            idempotency_key=_idempotency_key(payment),
        )
    except PaymentProviderError:
        # Nothing to pay yet: free the attempt so the next click retries it with the same key.
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.CREATING).delete()
        raise
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.CREATING).update(
        payment_intent_id=intent.id,
        client_secret=intent.client_secret,
        status=PaymentStatus.REQUIRES_PAYMENT,
        updated_at=timezone.now(),
    )
    payment.refresh_from_db()
    logger.info(
        "order %s: payment intent %s created (attempt %s)", payment.order_id, intent.id, payment.attempt
    )
    return payment


def payments_refund_for_order(*, order_id: int) -> None:
    """Inside the caller's transaction, with the order locked: refund every successful payment of it."""
    for payment in Payment.objects.select_for_update().filter(
        order_id=order_id, status=PaymentStatus.SUCCEEDED, refund_status=RefundStatus.NONE
    ):
        payment_refund_schedule(payment=payment)


def payment_refund_schedule(*, payment: Payment) -> None:
    """Mark the payment as owed back and ask Stripe once the transaction has committed.

    A failed Stripe call leaves the refund `required` for `python manage.py retry_refunds`.
    """
    payment.refund_status = RefundStatus.REQUIRED
    payment.save(update_fields=["refund_status", "updated_at"])
    logger.warning("order %s: payment %s will be refunded", payment.order_id, payment.payment_intent_id)
    transaction.on_commit(partial(payment_refund_attempt, payment_id=payment.pk), robust=True)


def payment_refund_attempt(*, payment_id: int) -> bool:
    """Ask Stripe for the refund if it is still due; True when Stripe accepted it.

    Only the caller that moves the row from `required` to `requesting` calls Stripe, and the idempotency
    key is fixed per payment, so concurrent or repeated attempts never refund twice.
    """
    now = timezone.now()
    claimed = Payment.objects.filter(pk=payment_id, refund_status=RefundStatus.REQUIRED).update(
        refund_status=RefundStatus.REQUESTING, refund_attempted_at=now, updated_at=now
    )
    if not claimed:
        return False
    payment = Payment.objects.get(pk=payment_id)
    try:
        refund = stripe_client.refund_create(
            payment_intent_id=payment.payment_intent_id,
            idempotency_key=f"refund-{payment.payment_intent_id}",
        )
    except PaymentProviderError:
        Payment.objects.filter(pk=payment_id, refund_status=RefundStatus.REQUESTING).update(
            refund_status=RefundStatus.REQUIRED, updated_at=timezone.now()
        )
        logger.error(
            "order %s: refund of payment %s failed; left for retry_refunds",
            payment.order_id,
            payment.payment_intent_id,
        )
        return False
    status = refund.status if refund.status in STRIPE_REFUND_STATUSES else RefundStatus.PENDING
    Payment.objects.filter(pk=payment_id).update(
        refund_id=refund.id, refund_status=status, updated_at=timezone.now()
    )
    logger.info(
        "order %s: payment %s refunded as %s (%s)",
        payment.order_id,
        payment.payment_intent_id,
        refund.id,
        status,
    )
    return True


def payments_retry_refunds(*, now=None) -> tuple[int, int]:
    """Ask Stripe again for every refund still due (and any interrupted one): `(refunded, due)`."""
    now = now or timezone.now()
    Payment.objects.filter(
        refund_status=RefundStatus.REQUESTING, refund_attempted_at__lt=now - REFUND_STALE_AFTER
    ).update(refund_status=RefundStatus.REQUIRED, updated_at=now)
    due = list(
        Payment.objects.filter(refund_status=RefundStatus.REQUIRED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    refunded = sum(payment_refund_attempt(payment_id=payment_id) for payment_id in due)
    return refunded, len(due)

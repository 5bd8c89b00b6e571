"""Payment writes: one usable PaymentIntent per order however often "Pay" is clicked, and refunds (of
lines, shipping, a whole cancelled order or a surplus payment: one kind of row, one way to Stripe).

Stripe is never called inside a transaction. A short transaction claims the work in the database (a
`creating` placeholder row under the order lock, `payment_claim`; a refund moved to `requesting`) and
commits; only the claimer then calls Stripe and records the answer. Anyone else waits for that answer or
finds it done. Which order may be paid, and what a payment does to its order, is `checkout.services`'.
"""

import logging
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import stripe_client
from .exceptions import PaymentProviderError
from .models import (
    STRIPE_REFUND_STATUSES,
    USABLE_STATUSES,
    Payment,
    PaymentStatus,
    Refund,
    RefundLine,
    RefundStatus,
)

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


def payment_for_order(*, order) -> Payment | None:
    """The payment that paid the order (None for an order that cost nothing): its successful payment
    that was not returned whole as a surplus."""
    return (
        order.payments.filter(status=PaymentStatus.SUCCEEDED)
        .exclude(refunds__surplus=True)
        .order_by("created_at", "id")
        .first()
    )


def refund_record(
    *,
    order,
    payment: Payment | None,
    amount: Decimal,
    reason: str = "",
    lines: list[tuple] = (),
    shipping_amount: Decimal | None = None,
    restock: bool = False,
    return_request=None,
    surplus: bool = False,
    actor=None,
) -> Refund:
    """Inside the caller's transaction (order and payment locked): write the refund and its lines
    (`(order item, quantity, amount)`), and ask Stripe for the money once the transaction commits. A
    refund of nothing is done at once. What may be refunded is the caller's rule."""
    refund = Refund.objects.create(
        order=order,
        payment=payment if amount else None,
        return_request=return_request,
        amount=amount,
        currency=order.currency,
        reason=reason,
        shipping=shipping_amount is not None,
        shipping_amount=shipping_amount or Decimal("0.00"),
        restock=restock,
        surplus=surplus,
        actor=actor,
        status=RefundStatus.REQUIRED if amount else RefundStatus.SUCCEEDED,
    )
    RefundLine.objects.bulk_create(
        RefundLine(refund=refund, order_item=item, quantity=quantity, amount=line_amount)
        for item, quantity, line_amount in lines
    )
    if amount:
        logger.warning("order %s: refund %s of %s %s due", order.pk, refund.pk, amount, order.currency)
        transaction.on_commit(partial(refund_attempt, refund_id=refund.pk), robust=True)
    return refund


def refund_attempt(*, refund_id: int) -> bool:
    """Ask Stripe for the refund if it is still due; True when Stripe accepted it.

    Only the caller that moves the row from `required` to `requesting` calls Stripe (with a key fixed
    per refund), so concurrent or repeated attempts never pay the same refund twice.
    """
    now = timezone.now()
    claimed = Refund.objects.filter(pk=refund_id, status=RefundStatus.REQUIRED).update(
        status=RefundStatus.REQUESTING, attempted_at=now, updated_at=now
    )
    if not claimed:
        return False
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    try:
        answer = stripe_client.refund_create(
            payment_intent_id=refund.payment.payment_intent_id,
            amount=refund.amount,
            currency=refund.currency,
            idempotency_key=f"refund-{refund.pk}-order-{refund.order_id}",
            metadata={"order_id": refund.order_id, "refund_id": refund.pk},
        )
    except PaymentProviderError:
        Refund.objects.filter(pk=refund_id, status=RefundStatus.REQUESTING).update(
            status=RefundStatus.REQUIRED, updated_at=timezone.now()
        )
        logger.error(
            "order %s: refund %s failed at Stripe; left for retry_refunds", refund.order_id, refund.pk
        )
        return False
    status = answer.status if answer.status in STRIPE_REFUND_STATUSES else RefundStatus.PENDING
    Refund.objects.filter(pk=refund_id).update(
        stripe_refund_id=answer.id, status=status, updated_at=timezone.now()
    )
    logger.info(
        "order %s: refund %s of %s accepted by Stripe as %s (%s)",
        refund.order_id,
        refund.pk,
        refund.amount,
        answer.id,
        status,
    )
    return True


def refunds_retry(*, now=None) -> tuple[int, int]:
    """Ask Stripe again for every refund still due (and any interrupted one): `(refunded, due)`."""
    now = now or timezone.now()
    Refund.objects.filter(status=RefundStatus.REQUESTING, attempted_at__lt=now - REFUND_STALE_AFTER).update(
        status=RefundStatus.REQUIRED, updated_at=now
    )
    due = list(
        Refund.objects.filter(status=RefundStatus.REQUIRED).order_by("pk").values_list("pk", flat=True)
    )
    refunded = sum(refund_attempt(refund_id=refund_id) for refund_id in due)
    return refunded, len(due)

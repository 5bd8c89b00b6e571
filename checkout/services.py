"""The flows that span apps, each in one place: placing an order (cart → stock → order), cancelling
it (stock, coupon and refund together), refunding it (lines, shipping, restock, Stripe), what a payment
outcome does to its order, expiring unpaid orders, creating the PaymentIntent of an order, and closing
a customer's account.

Lock order, everywhere: cart → books (by id) → coupon for a checkout; order → books (by id) → coupon →
payments for every later change. No path takes them the other way round, so two cannot deadlock.
Stripe is never called and no mail is sent inside a transaction.
"""

import logging
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.address_book import addresses_forget
from accounts.services import user_anonymise, user_close_check, user_password_confirm
from cart.services import cart_clear, cart_empty_locked
from catalog.exceptions import InsufficientStock
from catalog.models import Book, StockMovement
from catalog.services import shopper_forget, stock_adjust
from core.db import with_lock_retry
from core.errors import ServiceBusy
from insights.services import order_line_record
from notifications.services import email_notify
from orders.exceptions import OrderNotPayable, OrderNotRefundable, RefundExceedsPaid
from orders.models import REFUNDABLE_STATUSES, Order, OrderItem, OrderStatus
from orders.pricing import amount_paid, refund_share
from orders.returns import return_reason_clean, return_request_lock_for_refund, return_request_mark_refunded
from orders.selectors import order_ids_for_user
from orders.services import (
    order_check_payable,
    order_coupon_release,
    order_create,
    order_deliver,
    order_lines_clean,
    order_ship,
    order_status_change,
    order_transition,
)
from orders.transitions import STOCK_HOLDING
from payments.models import Payment, PaymentStatus, Refund
from payments.services import payment_claim, payment_for_order, payment_intent_create, refund_record
from payments.stripe_client import IntentSnapshot
from payments.webhooks import (
    SETTLED_STATUSES,
    payment_lock_for_intent,
    payment_mismatch,
    payment_status_set,
    webhook_event_apply_once,
    webhook_event_parse,
)

from .quotes import checkout_quote

logger = logging.getLogger(__name__)

# How long a second click on "Pay" waits for the first click's intent before being told to retry (503).
CLAIM_WAIT_SECONDS = 10
CLAIM_POLL_SECONDS = 0.1
NOTE_MAX_LENGTH = 500
CANCEL_REASON_MAX_LENGTH = 255  # it is shown in the order's history, whose notes hold 255 characters


# --- Placing an order ------------------------------------------------------------------------------


def order_place(
    *,
    user,
    shipping_method: str,
    address_id: int | None = None,
    shipping_address=None,
    coupon_code: str | None = None,
    note: str = "",
) -> Order:
    """Turn the user's whole cart into a pending order with exactly the figures `checkout_quote` gives
    for the same inputs, or change nothing at all."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [f"At most {NOTE_MAX_LENGTH} characters."]})
    inputs = {
        "user": user,
        "shipping_method": shipping_method,
        "address_id": address_id,
        "shipping_address": shipping_address,
        "coupon_code": coupon_code,
    }
    return with_lock_retry(lambda: _place(inputs, note=note), label=f"checkout of user {user.pk}")


@transaction.atomic
def _place(inputs: dict, *, note: str) -> Order:
    user = inputs["user"]
    quote = checkout_quote(**inputs, lock=True)
    _check_stock(quote.items, quote.books)
    order = order_create(
        user=user,
        books=quote.books,
        quote=quote.figures,
        coupon=quote.coupon,
        shipping_address=quote.shipping_address,
        shipping_method=quote.shipping_method,
        note=note,
    )
    for item in quote.items:
        stock_adjust(
            book_id=item.book_id,
            delta=-item.quantity,
            reason=StockMovement.Reason.ORDER,
            actor=user,
            order=order,
        )
        order_line_record(book_id=item.book_id)  # counted once the transaction commits
    cart_empty_locked(cart=quote.cart)
    if order.total == 0:
        order_status_change(order=order, to_status=OrderStatus.PAID, note="Nothing to pay.")
    # Rendered now, so after the status: a free order's confirmation does not ask for payment.
    email_notify(
        key=f"order:{order.pk}:placed",
        template="orders/email/order_confirmation",
        to=user.email,
        context={"order": order, "user": user},
    )
    logger.info("order %s placed by user %s: total %s %s", order.pk, user.pk, order.total, order.currency)
    return order


def _check_stock(items, books: dict[int, Book]) -> None:
    short = [
        InsufficientStock.shortage(books[item.book_id], item.quantity)
        for item in items
        if not books[item.book_id].is_active or books[item.book_id].stock < item.quantity
    ]
    if short:
        titles = ", ".join(f"“{line['title']}” ({line['available']} left)" for line in short)
        raise InsufficientStock(f"Not enough stock for {titles}.", extra={"books": short})


# --- Cancelling and other status changes -----------------------------------------------------------


def order_cancel(*, order_id: int, actor=None, by_staff: bool = False, reason: str = "") -> Order:
    """Cancel the order: its copies go back to the shelf, its coupon use back to the coupon, and what
    was paid (less earlier refunds) back to the customer through Stripe (after commit), all or nothing.
    The reason is shown to the customer, in the order's history and in the one email they get."""
    reason = " ".join((reason or "").split())
    if len(reason) > CANCEL_REASON_MAX_LENGTH:
        raise ValidationError({"reason": [f"At most {CANCEL_REASON_MAX_LENGTH} characters."]})

    def run():
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            return _cancel_locked(order=order, actor=actor, by_staff=by_staff, reason=reason)

    return with_lock_retry(run, label=f"cancel of order {order_id}")


def _cancel_locked(*, order: Order, actor=None, by_staff: bool = False, reason: str = "") -> Order:
    from_status = order.status
    order_status_change(
        order=order, to_status=OrderStatus.CANCELLED, actor=actor, by_staff=by_staff, note=reason
    )
    items = list(order.items.order_by("book_id"))
    if from_status in STOCK_HOLDING:
        for item in items:
            on_order = item.quantity - item.restocked_quantity  # refunds may have restocked some already
            if on_order:
                stock_adjust(
                    book_id=item.book_id,
                    delta=on_order,
                    reason=StockMovement.Reason.CANCELLATION,
                    actor=actor,
                    order=order,
                )
        order_coupon_release(order=order)
    refund = None
    owed = from_status == OrderStatus.PAID and order.total > order.refunded_total
    if owed and payment_for_order(order=order) is None:
        # Marked paid by hand (or before payments were recorded): nothing to send back through Stripe.
        logger.warning("order %s: cancelled as paid but no payment is on record; nothing refunded", order.pk)
        owed = False
    if owed:
        remaining = [(item, item.quantity - item.refunded_quantity) for item in items]
        refund = _refund_locked(
            order=order,
            chosen=[(item, quantity) for item, quantity in remaining if quantity],
            shipping=not order.shipping_refunded,
            restock=False,  # the copies went back above, as a cancellation
            reason=reason or "Order cancelled.",
            actor=actor,
        )
    email_notify(
        key=f"order:{order.pk}:cancelled",
        template="orders/email/order_cancelled",
        to=order.user.email,
        context={"order": order, "user": order.user, "reason": reason, "refund": refund},
    )
    return order


def order_status_set(
    *, order_id: int, to_status: str, actor=None, by_staff: bool = False, note: str = ""
) -> Order:
    """Any status change by a person (staff in the admin or `/api/admin/orders/`): a cancellation is
    the whole cancel flow; shipping and delivery concern the order alone (and mail the customer). Whether the move is allowed,
    and for whom, is the transition table's (only a confirmed payment makes an order paid, only a refund
    makes it refunded: staff cannot)."""
    if to_status == OrderStatus.CANCELLED:
        return order_cancel(order_id=order_id, actor=actor, by_staff=by_staff, reason=note)
    if to_status == OrderStatus.SHIPPED:
        return order_ship(order_id=order_id, actor=actor, note=note)
    if to_status == OrderStatus.DELIVERED:
        return order_deliver(order_id=order_id, actor=actor, note=note)
    return order_transition(order_id=order_id, to_status=to_status, actor=actor, by_staff=by_staff, note=note)


# --- Refunds -----------------------------------------------------------------------------------------


def order_refund(
    *,
    order_id: int,
    lines=(),
    shipping: bool = False,
    restock: bool = False,
    reason: str = "",
    return_id: int | None = None,
    actor=None,
) -> Refund:
    """Refund copies of a paid, shipped or delivered order (each line's share of what was paid for it:
    after its discount, with its tax), and its shipping with its tax when `shipping`; with `restock` the
    copies go back to stock through the ledger. Never more than was paid less earlier refunds (409
    `refund_exceeds_paid`); the order becomes `refunded` once everything is. With `return_id` the
    customer's return request is answered by this refund. Stripe is asked after commit."""
    reason = return_reason_clean(reason)

    def run():
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            chosen = _refund_chosen(order=order, lines=lines, shipping=shipping)
            request = return_request_lock_for_refund(order=order, return_id=return_id) if return_id else None
            refund = _refund_locked(
                order=order,
                chosen=chosen,
                shipping=shipping,
                restock=restock,
                reason=reason,
                actor=actor,
                return_request=request,
            )
            if request is not None:
                return_request_mark_refunded(request=request, actor=actor)
            template, key = (
                ("orders/email/return_answered", f"return:{request.pk}:answered")
                if request
                else ("orders/email/refund_issued", f"refund:{refund.pk}:issued")
            )
            email_notify(
                key=key,
                template=template,
                to=order.user.email,
                context={"order": order, "user": order.user, "refund": refund, "return_request": request},
            )
            return refund

    return with_lock_retry(run, label=f"refund of order {order_id}")


@dataclass(frozen=True)
class RefundQuote:
    """What a refund pays back: per line `(item, copies, amount)`, the shipping's amount (None when the
    shipping is not refunded), the total, and the payment it goes back to."""

    lines: list[tuple[OrderItem, int, Decimal]]
    shipping_amount: Decimal | None
    amount: Decimal
    payment: Payment | None


def order_refund_preview(*, order_id: int, lines=(), shipping: bool = False) -> RefundQuote:
    """What `order_refund` with these lines and shipping would pay back now, refused exactly as it would
    be (the admin's confirm step shows it); reads only."""
    order = Order.objects.get(pk=order_id)
    chosen = _refund_chosen(order=order, lines=lines, shipping=shipping)
    return _refund_quote(order=order, chosen=chosen, shipping=shipping)


def _refund_chosen(*, order: Order, lines, shipping: bool) -> list[tuple[OrderItem, int]]:
    if order.status not in REFUNDABLE_STATUSES:
        raise OrderNotRefundable(
            f"Order {order.pk} is {order.status}: only a paid, shipped or delivered order can be refunded."
        )
    chosen = order_lines_clean(order=order, lines=lines) if lines else []
    if not chosen and not shipping:
        raise ValidationError({"lines": ["Name at least one book of the order, or refund the shipping."]})
    return chosen


def _refund_quote(*, order: Order, chosen: list[tuple[OrderItem, int]], shipping: bool) -> RefundQuote:
    """The one refund rule: each line's share of what was paid for it, the shipping with its tax, and
    never more than was paid and not yet refunded (RefundExceedsPaid), and only to a payment on record."""
    too_much = [
        f"only {item.quantity - item.refunded_quantity} of “{item.title}” can still be refunded"
        for item, quantity in chosen
        if quantity > item.quantity - item.refunded_quantity
    ]
    if shipping and order.shipping_refunded:
        too_much.append("the shipping was refunded already")
    if too_much:
        raise RefundExceedsPaid(
            f"This refund is more than was paid and not yet refunded: {'; '.join(too_much)}."
        )
    lines = [
        (
            item,
            quantity,
            refund_share(
                paid=amount_paid(
                    amount=item.line_total - item.discount,
                    tax=item.tax,
                    prices_include_tax=order.prices_include_tax,
                ),
                quantity=item.quantity,
                refunded_before=item.refunded_quantity,
                refunding=quantity,
            ),
        )
        for item, quantity in chosen
    ]
    shipping_amount = (
        amount_paid(
            amount=order.shipping, tax=order.shipping_tax, prices_include_tax=order.prices_include_tax
        )
        if shipping
        else None
    )
    amount = sum((line_amount for _item, _quantity, line_amount in lines), Decimal("0.00")) + (
        shipping_amount or 0
    )
    if order.refunded_total + amount > order.total:  # cannot happen by construction; never pay out more
        raise RefundExceedsPaid()
    payment = payment_for_order(order=order)
    if amount and payment is None:
        raise OrderNotRefundable(f"Order {order.pk} has no payment to refund.")
    return RefundQuote(lines=lines, shipping_amount=shipping_amount, amount=amount, payment=payment)


def _refund_locked(
    *,
    order: Order,
    chosen: list[tuple[OrderItem, int]],
    shipping: bool,
    restock: bool,
    reason: str,
    actor=None,
    return_request=None,
) -> Refund:
    """Inside the caller's transaction with the order locked: the refund of `chosen`, for refunds on
    their own and for the refund of a cancelled paid order."""
    quote = _refund_quote(order=order, chosen=chosen, shipping=shipping)
    lines, shipping_amount, amount, payment = quote.lines, quote.shipping_amount, quote.amount, quote.payment
    for item, quantity, _line_amount in sorted(lines, key=lambda line: line[0].book_id):
        item.refunded_quantity += quantity
        fields = ["refunded_quantity"]
        if restock:
            item.restocked_quantity += quantity
            fields.append("restocked_quantity")
            stock_adjust(
                book_id=item.book_id,
                delta=quantity,
                reason=StockMovement.Reason.RETURN,
                actor=actor,
                note=f"Refund of order {order.pk}",
                order=order,
            )
        item.save(update_fields=fields)
    order.refunded_total += amount
    order.shipping_refunded = order.shipping_refunded or shipping
    order.save(update_fields=["refunded_total", "shipping_refunded", "updated_at"])
    if payment is not None:  # locked last: order → books → payments
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
    refund = refund_record(
        order=order,
        payment=payment,
        amount=amount,
        reason=reason,
        lines=lines,
        shipping_amount=shipping_amount,
        restock=restock,
        return_request=return_request,
        actor=actor,
    )
    everything = all(item.refunded_quantity == item.quantity for item in order.items.all()) and (
        order.shipping_refunded or not order.shipping
    )
    if everything and order.status in REFUNDABLE_STATUSES:
        order_status_change(order=order, to_status=OrderStatus.REFUNDED, actor=actor, note=reason)
    return refund


def orders_expire_unpaid(*, now=None, limit: int = 1000) -> int:
    """Cancel pending orders whose payment window has closed; returns how many it cancelled.

    Each order is its own short transaction, and rows another runner (or a webhook) holds are skipped,
    so it is safe to run from cron every minute, twice at once, and alongside checkouts.
    """
    now = now or timezone.now()
    due = Order.objects.filter(status=OrderStatus.PENDING, pay_by__lt=now).order_by("pay_by")
    cancelled = 0
    for order_id in list(due.values_list("pk", flat=True)[:limit]):

        def expire(order_id=order_id):
            with transaction.atomic():
                order = (
                    Order.objects.select_for_update(skip_locked=True)
                    .filter(pk=order_id, status=OrderStatus.PENDING, pay_by__lt=now)
                    .first()
                )
                if order is None:
                    return False
                _cancel_locked(order=order, reason="Payment window expired.")
                return True

        cancelled += with_lock_retry(expire, label=f"expiry of order {order_id}")
    return cancelled


# --- Paying ----------------------------------------------------------------------------------------


def payment_intent_for_order(*, order_id: int) -> tuple[Payment, bool]:
    """The order's usable PaymentIntent, created at Stripe if it has none: `(payment, created)`.

    Raises `OrderNotPayable` unless the order is pending and inside its payment window.
    """
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while True:
        payment, claimed = with_lock_retry(
            lambda: _claim(order_id=order_id), label=f"payment claim of order {order_id}"
        )
        if claimed:
            return payment_intent_create(payment), True
        if payment.status == PaymentStatus.REQUIRES_PAYMENT:
            return payment, False
        if time.monotonic() >= deadline:
            raise ServiceBusy("The payment is still being prepared; please try again in a moment.")
        time.sleep(CLAIM_POLL_SECONDS)


@transaction.atomic
def _claim(*, order_id: int) -> tuple[Payment, bool]:
    order = Order.objects.select_for_update().get(pk=order_id)
    order_check_payable(order)
    return payment_claim(order=order)


def stripe_webhook_receive(*, payload: bytes, signature: str | None) -> str:
    """Verify one webhook call and apply it once; returns what it did (for the response and the record)."""
    event = webhook_event_parse(payload=payload, signature=signature)
    handler = PAYMENT_OUTCOMES.get(event.type)
    if handler is None:
        logger.info("stripe event %s (%s) ignored: not a type we handle", event.id, event.type)
        return "ignored"
    return webhook_event_apply_once(event=event, apply=handler)


def _on_succeeded(intent: IntentSnapshot) -> str:
    """Money arrived: the order becomes paid, or, if it can no longer be, the money goes back."""
    payment = payment_lock_for_intent(intent)
    if payment is None:
        logger.error(
            "payment intent %s (order %r per metadata) succeeded but is not one of ours",
            intent.id,
            intent.order_id,
        )
        return "unknown payment intent"
    if payment.status in SETTLED_STATUSES:
        return f"already {payment.status}"
    order = payment.order
    mismatch = payment_mismatch(payment, intent)
    if mismatch:
        payment_status_set(payment, PaymentStatus.NEEDS_REVIEW, reason=f"Succeeded with {mismatch}.")
        logger.error(
            "order %s: payment %s succeeded with %s; order NOT paid, needs review",
            order.pk,
            intent.id,
            mismatch,
        )
        return f"needs review: {mismatch}"
    payment_status_set(payment, PaymentStatus.SUCCEEDED, reason="")
    if order.status != OrderStatus.PENDING:
        # Cancelled, expired, or paid by another intent meanwhile: the money goes back, it is never kept.
        logger.warning(
            "order %s is %s: payment %s succeeded too late, refunding", order.pk, order.status, intent.id
        )
        refund_record(
            order=order,
            payment=payment,
            amount=payment.amount,
            reason=f"Payment {intent.id} arrived when order {order.pk} was {order.status}: returned in full.",
            surplus=True,
        )
        return f"refund: order is {order.status}"
    order_status_change(order=order, to_status=OrderStatus.PAID, note=f"Stripe payment {intent.id}.")
    email_notify(
        key=f"order:{order.pk}:paid",
        template="payments/email/payment_received",
        to=order.user.email,
        context={"order": order, "payment": payment, "user": order.user},
    )
    return "order paid"


def _on_failed(intent: IntentSnapshot) -> str:
    """A declined attempt: recorded on the payment; the order stays pending and payable until pay_by,
    and the customer is emailed a link to try again (unless the order can no longer be paid)."""
    payment = payment_lock_for_intent(intent)
    if payment is None:
        logger.warning("payment intent %s failed but is not one of ours", intent.id)
        return "unknown payment intent"
    if payment.status in SETTLED_STATUSES:
        logger.warning(
            "order %s: payment %s reported failed after it succeeded; ignored", payment.order_id, intent.id
        )
        return f"ignored: already {payment.status}"
    payment_status_set(payment, PaymentStatus.FAILED, reason=intent.failure_reason or "The payment failed.")
    logger.info("order %s: payment %s failed: %s", payment.order_id, intent.id, payment.failure_reason)
    order = payment.order
    try:
        order_check_payable(order)
    except OrderNotPayable:
        return "payment failed"  # cancelled, expired or paid meanwhile: nothing left to retry
    # One email per payment attempt (paying again makes a new Payment), however often Stripe reports it.
    email_notify(
        key=f"payment:{payment.pk}:failed",
        template="payments/email/payment_failed",
        to=order.user.email,
        context={"order": order, "payment": payment, "user": order.user},
    )
    return "payment failed"


def _on_canceled(intent: IntentSnapshot) -> str:
    payment = payment_lock_for_intent(intent)
    if payment is None:
        return "unknown payment intent"
    if payment.status in SETTLED_STATUSES:
        return f"ignored: already {payment.status}"
    payment_status_set(payment, PaymentStatus.CANCELED)
    return "payment canceled"


PAYMENT_OUTCOMES = {
    "payment_intent.succeeded": _on_succeeded,
    "payment_intent.payment_failed": _on_failed,
    "payment_intent.canceled": _on_canceled,
}


# --- Closing an account ----------------------------------------------------------------------------


def account_close(*, user, password: str) -> None:
    """Close the customer's own account for good, confirmed by their password (checked like a password
    change's: wrong → 400, and throttled per user).

    Their pending orders are cancelled first (stock and coupon uses go back), each in its own short
    transaction; then, in one transaction, their cart is emptied, their wishlist, preferences and
    waiting pre-bookings go (catalog), and their address book goes and the account is anonymised with
    every login ended (accounts).
    Paid orders stay, to be shipped; every order and review stays, for the shop's records. Each step may
    run again: a failure midway (503 `busy`) leaves the account open and a retry finishes the job, and an
    order placed meanwhile stays pending until it expires.
    """
    user_close_check(user=user)
    user_password_confirm(user=user, password=password)
    for order_id in order_ids_for_user(user=user, status=OrderStatus.PENDING):
        order_cancel(order_id=order_id, actor=user, reason="The account was closed.")
    with transaction.atomic():
        cart_clear(user=user)
        shopper_forget(user=user)
        addresses_forget(user=user)
        user_anonymise(user=user)
    logger.info("user %s closed their account", user.pk)

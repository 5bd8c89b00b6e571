"""The flows that span apps, each in one place: placing an order (cart → stock → order), cancelling
it (stock, coupon and refund together), what a payment outcome does to its order, expiring unpaid
orders, creating the PaymentIntent of an order, and closing a customer's account.

Lock order, everywhere: cart → books (by id) → coupon for a checkout; order → books (by id) → coupon →
payments for every later change. No path takes them the other way round, so two cannot deadlock.
Stripe is never called and no mail is sent inside a transaction.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone

from accounts.services import user_anonymise, user_close_check, user_password_confirm
from cart.services import cart_clear, cart_empty_locked, cart_lock_for_checkout
from catalog.exceptions import InsufficientStock
from catalog.models import Book, StockMovement
from catalog.services import books_lock, shopper_forget, stock_adjust
from core.db import with_lock_retry
from core.errors import ServiceBusy
from insights.services import order_line_record
from notifications.services import email_notify
from orders.coupons import coupon_lock_for_checkout
from orders.exceptions import CartEmpty
from orders.models import Order, OrderStatus
from orders.selectors import order_ids_for_user
from orders.services import (
    order_check_payable,
    order_coupon_release,
    order_create,
    order_status_change,
    order_transition,
)
from orders.transitions import STOCK_HOLDING
from payments.models import Payment, PaymentStatus
from payments.services import (
    payment_claim,
    payment_intent_create,
    payment_refund_schedule,
    payments_refund_for_order,
)
from payments.stripe_client import IntentSnapshot
from payments.webhooks import (
    SETTLED_STATUSES,
    payment_lock_for_intent,
    payment_mismatch,
    payment_status_set,
    webhook_event_apply_once,
    webhook_event_parse,
)

logger = logging.getLogger(__name__)

# How long a second click on "Pay" waits for the first click's intent before being told to retry (503).
CLAIM_WAIT_SECONDS = 10
CLAIM_POLL_SECONDS = 0.1


# --- Placing an order ------------------------------------------------------------------------------


def order_place(*, user, shipping_address: str = "", coupon_code: str | None = None) -> Order:
    """Turn the user's whole cart into a pending order, or change nothing at all."""
    return with_lock_retry(
        lambda: _place(user=user, shipping_address=shipping_address, coupon_code=coupon_code),
        label=f"checkout of user {user.pk}",
    )


@transaction.atomic
def _place(*, user, shipping_address: str, coupon_code: str | None) -> Order:
    cart, items = cart_lock_for_checkout(user=user)
    if not items:
        raise CartEmpty()
    books = books_lock([item.book_id for item in items])
    _check_stock(items, books)
    lines = [(books[item.book_id], item.quantity) for item in items]
    subtotal = sum(book.price * quantity for book, quantity in lines)
    coupon = coupon_lock_for_checkout(code=coupon_code, subtotal=subtotal) if coupon_code else None
    order = order_create(user=user, lines=lines, coupon=coupon, shipping_address=shipping_address)
    for item in items:
        stock_adjust(
            book_id=item.book_id,
            delta=-item.quantity,
            reason=StockMovement.Reason.ORDER,
            actor=user,
            order=order,
        )
        order_line_record(book_id=item.book_id)  # counted once the transaction commits
    cart_empty_locked(cart=cart)
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


def order_cancel(*, order_id: int, actor=None, by_staff: bool = False, note: str = "") -> Order:
    """Cancel the order: its copies go back to the shelf, its coupon use back to the coupon, and what
    was paid back to the customer through Stripe (after commit), all or nothing."""

    def run():
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            return _cancel_locked(order=order, actor=actor, by_staff=by_staff, note=note)

    return with_lock_retry(run, label=f"cancel of order {order_id}")


def _cancel_locked(*, order: Order, actor=None, by_staff: bool = False, note: str = "") -> Order:
    from_status = order.status
    order_status_change(
        order=order, to_status=OrderStatus.CANCELLED, actor=actor, by_staff=by_staff, note=note
    )
    if from_status in STOCK_HOLDING:
        for item in order.items.order_by("book_id"):
            stock_adjust(
                book_id=item.book_id,
                delta=item.quantity,
                reason=StockMovement.Reason.CANCELLATION,
                actor=actor,
                order=order,
            )
        order_coupon_release(order=order)
    if from_status == OrderStatus.PAID:
        payments_refund_for_order(order_id=order.pk)
    return order


def order_status_set(
    *, order_id: int, to_status: str, actor=None, by_staff: bool = False, note: str = ""
) -> Order:
    """Any status change by a person (staff in the admin or `/api/admin/orders/`, a customer's cancel): a
    cancellation is the whole cancel flow; shipping and delivery concern the order alone. Whether the
    move is allowed, and for whom, is the transition table's (only a confirmed payment makes an order
    paid: staff cannot)."""
    if to_status == OrderStatus.CANCELLED:
        return order_cancel(order_id=order_id, actor=actor, by_staff=by_staff, note=note)
    return order_transition(order_id=order_id, to_status=to_status, actor=actor, by_staff=by_staff, note=note)


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
                _cancel_locked(order=order, note="Payment window expired.")
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
        payment_refund_schedule(payment=payment)
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
    """A declined attempt: recorded on the payment; the order stays pending and payable until pay_by."""
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
    waiting pre-bookings go (catalog), and the account is anonymised with every login ended (accounts).
    Paid orders stay, to be shipped; every order and review stays, for the shop's records. Each step may
    run again: a failure midway (503 `busy`) leaves the account open and a retry finishes the job, and an
    order placed meanwhile stays pending until it expires.
    """
    user_close_check(user=user)
    user_password_confirm(user=user, password=password)
    for order_id in order_ids_for_user(user=user, status=OrderStatus.PENDING):
        order_cancel(order_id=order_id, actor=user, note="The account was closed.")
    with transaction.atomic():
        cart_clear(user=user)
        shopper_forget(user=user)
        # The address book (accounts.Address) is removed here too once it exists.
        user_anonymise(user=user)
    logger.info("user %s closed their account", user.pk)

"""Order writes: checkout, status changes (with their stock and coupon side effects) and expiry.

Lock order, everywhere: cart → books (by id) → coupon for a checkout; order → books (by id) → coupon
for a status change. No path takes them the other way round, so two of them cannot deadlock.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cart.models import Cart, CartItem
from catalog.exceptions import InsufficientStock
from catalog.models import Book, StockMovement
from catalog.services import stock_adjust
from core.db import with_lock_retry
from core.mail import mail_send_on_commit
from payments.services import payments_refund_order

from .coupons import coupon_discount, coupon_lock_for_checkout
from .exceptions import CartEmpty, InvalidTransition, OrderTooLarge
from .models import Coupon, Order, OrderItem, OrderStatus, OrderStatusChange
from .transitions import STOCK_HOLDING, can_transition

logger = logging.getLogger(__name__)

# The largest amount the order's money columns hold (12 digits, 2 of them after the point).
MAX_ORDER_SUBTOTAL = Decimal("9999999999.99")


def order_place(*, user, shipping_address: str = "", coupon_code: str | None = None) -> Order:
    """Turn the user's whole cart into a pending order, or change nothing at all."""
    return with_lock_retry(
        lambda: _place(user=user, shipping_address=shipping_address, coupon_code=coupon_code),
        label=f"checkout of user {user.pk}",
    )


@transaction.atomic
def _place(*, user, shipping_address: str, coupon_code: str | None) -> Order:
    # The cart lock makes a double click queue behind the first checkout and then find the cart empty.
    cart = Cart.objects.select_for_update().filter(user=user).first()
    items = list(CartItem.objects.filter(cart=cart).order_by("book_id")) if cart else []
    if not items:
        raise CartEmpty()
    # Lock in id order so two checkouts holding the same books cannot deadlock.
    books = Book.objects.select_for_update().filter(pk__in=[item.book_id for item in items]).order_by("pk")
    books = {book.pk: book for book in books}
    _check_stock(items, books)

    subtotal = sum((books[item.book_id].price * item.quantity for item in items), Decimal("0.00"))
    if subtotal > MAX_ORDER_SUBTOTAL:
        raise OrderTooLarge()
    coupon = coupon_lock_for_checkout(code=coupon_code, subtotal=subtotal) if coupon_code else None
    discount = coupon_discount(coupon=coupon, subtotal=subtotal) if coupon else Decimal("0.00")
    order = Order.objects.create(
        user=user,
        currency=settings.SHOP_CURRENCY,
        subtotal=subtotal,
        discount=discount,
        total=subtotal - discount,
        coupon=coupon,
        shipping_address=shipping_address,
        pay_by=timezone.now() + timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES),
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            book=books[item.book_id],
            title=books[item.book_id].title,
            unit_price=books[item.book_id].price,
            quantity=item.quantity,
            line_total=books[item.book_id].price * item.quantity,
        )
        for item in items
    )
    for item in items:
        stock_adjust(
            book_id=item.book_id,
            delta=-item.quantity,
            reason=StockMovement.Reason.ORDER,
            actor=user,
            order=order,
        )
    if coupon:
        Coupon.objects.filter(pk=coupon.pk).update(used_count=F("used_count") + 1)
    OrderStatusChange.objects.create(order=order, from_status="", to_status=OrderStatus.PENDING, actor=user)
    CartItem.objects.filter(cart=cart).delete()
    mail_send_on_commit(
        template="orders/email/order_confirmation", to=[user.email], context={"order": order, "user": user}
    )
    if order.total == 0:
        order_transition_locked(order=order, to_status=OrderStatus.PAID, note="Nothing to pay.")
    logger.info("order %s placed by user %s: total %s %s", order.pk, user.pk, order.total, order.currency)
    return order


def _check_stock(items: list[CartItem], books: dict[int, Book]) -> None:
    short = [
        InsufficientStock.shortage(books[item.book_id], item.quantity)
        for item in items
        if not books[item.book_id].is_active or books[item.book_id].stock < item.quantity
    ]
    if short:
        titles = ", ".join(f"“{line['title']}” ({line['available']} left)" for line in short)
        raise InsufficientStock(f"Not enough stock for {titles}.", extra={"books": short})


def order_transition(
    *, order_id: int, to_status: str, actor=None, by_staff: bool = False, note: str = ""
) -> Order:
    """Lock the order and move it to `to_status` if the transition table allows it."""

    def run():
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            return order_transition_locked(
                order=order, to_status=to_status, actor=actor, by_staff=by_staff, note=note
            )

    return with_lock_retry(run, label=f"order {order_id} → {to_status}")


def order_transition_locked(
    *, order: Order, to_status: str, actor=None, by_staff: bool = False, note: str = ""
) -> Order:
    """Apply a status change to an order the caller has locked, inside the caller's transaction.

    Cancelling a paid order refunds its payments through Stripe once the transaction has committed.
    """
    from_status = order.status
    if not can_transition(from_status, to_status, by_staff=by_staff):
        raise InvalidTransition(f"An order that is {from_status} cannot become {to_status}.")
    if to_status == OrderStatus.CANCELLED and from_status in STOCK_HOLDING:
        _release_holdings(order=order, actor=actor)
    if to_status == OrderStatus.CANCELLED and from_status == OrderStatus.PAID:
        payments_refund_order(order=order)
    order.status = to_status
    fields = ["status", "updated_at"]
    if to_status == OrderStatus.PAID:
        order.paid_at = timezone.now()
        fields.append("paid_at")
    order.save(update_fields=fields)
    OrderStatusChange.objects.create(
        order=order, from_status=from_status, to_status=to_status, actor=actor, note=note[:255]
    )
    logger.info("order %s: %s → %s by %s", order.pk, from_status, to_status, getattr(actor, "pk", "system"))
    return order


def _release_holdings(*, order: Order, actor) -> None:
    """Give the order's copies back to the shelf (books in id order) and its coupon use back."""
    for item in order.items.order_by("book_id"):
        stock_adjust(
            book_id=item.book_id,
            delta=item.quantity,
            reason=StockMovement.Reason.CANCELLATION,
            actor=actor,
            order=order,
        )
    if order.coupon_id:
        Coupon.objects.filter(pk=order.coupon_id, used_count__gt=0).update(used_count=F("used_count") - 1)


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
                order_transition_locked(
                    order=order, to_status=OrderStatus.CANCELLED, note="Payment window expired."
                )
                return True

        cancelled += with_lock_retry(expire, label=f"expiry of order {order_id}")
    return cancelled

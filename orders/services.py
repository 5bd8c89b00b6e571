"""Order writes that concern the order alone: creating its rows, moving its status, its coupon use.

Flows that also move stock, carts or money (placing, cancelling, paying, expiring) are the checkout
layer's (`checkout.services`), which calls these inside its own transactions and locks.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.db import with_lock_retry

from .coupons import coupon_discount
from .exceptions import InvalidTransition, OrderNotPayable, OrderTooLarge
from .models import Coupon, Order, OrderItem, OrderStatus, OrderStatusChange
from .transitions import can_transition

logger = logging.getLogger(__name__)

# The largest amount the order's money columns hold (12 digits, 2 of them after the point).
MAX_ORDER_SUBTOTAL = Decimal("9999999999.99")


def order_create(*, user, lines: list[tuple], coupon: Coupon | None, shipping_address: str) -> Order:
    """Write a pending order for `(book, quantity)` lines, inside the caller's transaction, with title
    and price frozen from the books as they are now; counts the coupon's use. The caller holds the locks
    (books, coupon) and moves the stock."""
    subtotal = sum((book.price * quantity for book, quantity in lines), Decimal("0.00"))
    if subtotal > MAX_ORDER_SUBTOTAL:
        raise OrderTooLarge()
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
            book=book,
            title=book.title,
            unit_price=book.price,
            quantity=quantity,
            line_total=book.price * quantity,
        )
        for book, quantity in lines
    )
    if coupon:
        Coupon.objects.filter(pk=coupon.pk).update(used_count=F("used_count") + 1)
    OrderStatusChange.objects.create(order=order, from_status="", to_status=OrderStatus.PENDING, actor=user)
    return order


def order_check_payable(order: Order) -> None:
    """Only a pending order inside its payment window may be paid."""
    if order.status != OrderStatus.PENDING:
        raise OrderNotPayable(f"Order {order.pk} is {order.status}; only a pending order can be paid.")
    if order.pay_by <= timezone.now():
        raise OrderNotPayable(f"The payment window of order {order.pk} has closed.")


def order_coupon_release(*, order: Order) -> None:
    """Give the order's coupon use back (a cancelled order did not use it)."""
    if order.coupon_id:
        Coupon.objects.filter(pk=order.coupon_id, used_count__gt=0).update(used_count=F("used_count") - 1)


def order_status_change(
    *, order: Order, to_status: str, actor=None, by_staff: bool = False, note: str = ""
) -> Order:
    """Move an order the caller has locked to `to_status`, if the transition table allows it, and record
    the change. Nothing else happens here: what a move does to stock or money is the caller's."""
    from_status = order.status
    if not can_transition(from_status, to_status, by_staff=by_staff):
        raise InvalidTransition(f"An order that is {from_status} cannot become {to_status}.")
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


def order_transition(
    *, order_id: int, to_status: str, actor=None, by_staff: bool = False, note: str = ""
) -> Order:
    """Lock the order and make a move that concerns the order alone (shipped, delivered). Cancelling
    also moves stock, coupon and money: that is `checkout.services.order_cancel`."""
    if to_status == OrderStatus.CANCELLED:
        raise ValueError("cancelling is checkout.services.order_cancel's: it returns stock and money")

    def run():
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            return order_status_change(
                order=order, to_status=to_status, actor=actor, by_staff=by_staff, note=note
            )

    return with_lock_retry(run, label=f"order {order_id} → {to_status}")

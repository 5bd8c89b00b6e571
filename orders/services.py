"""Order writes that concern the order alone: creating its rows from a quote, moving its status, its
coupon use, shipping and delivering it (with their emails).

Flows that also move stock, carts or money (placing, cancelling, paying, refunding, expiring) are the
checkout layer's (`checkout.services`), which calls these inside its own transactions and locks.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Book
from catalog.selectors import preferences_for
from core.db import with_lock_retry
from notifications.services import email_notify

from .exceptions import InvalidTransition, OrderNotPayable
from .models import Coupon, Order, OrderItem, OrderStatus, OrderStatusChange, Shipment
from .pricing import Quote
from .shipments import shipment_clean
from .transitions import can_transition

logger = logging.getLogger(__name__)

# The largest amount the order's money columns hold (12 digits, 2 of them after the point).
MAX_ORDER_AMOUNT = Decimal("9999999999.99")


def order_create(
    *,
    user,
    books: dict[int, Book],
    quote: Quote,
    coupon: Coupon | None,
    shipping_address: dict,
    shipping_method: dict,
    note: str = "",
) -> Order:
    """Write a pending order from its quote (lines keyed by book id), inside the caller's transaction:
    every figure, the address and the method are copied, so the order never changes with the catalog,
    the address book or the rates. Counts the coupon's use. The caller holds the locks (cart, books,
    coupon) and moves the stock."""
    order = Order.objects.create(
        user=user,
        currency=settings.SHOP_CURRENCY,
        subtotal=quote.subtotal,
        discount=quote.discount,
        shipping=quote.shipping,
        shipping_tax_rate=quote.shipping_tax_rate,
        shipping_tax=quote.shipping_tax,
        tax=quote.tax,
        total=quote.total,
        prices_include_tax=quote.prices_include_tax,
        coupon=coupon,
        shipping_address=shipping_address,
        shipping_method=shipping_method,
        note=note,
        pay_by=timezone.now() + timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES),
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            book=books[line.key],
            title=books[line.key].title,
            unit_price=line.unit_price,
            quantity=line.quantity,
            line_total=line.line_total,
            tax_class=line.tax_class,
            discount=line.discount,
            tax_rate=line.tax_rate,
            tax=line.tax,
        )
        for line in quote.lines
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
    the change (its note is shown to the customer in the order's history). Nothing else happens here:
    what a move does to stock, money or mail is the caller's."""
    from_status = order.status
    if not can_transition(from_status, to_status, by_staff=by_staff):
        raise InvalidTransition(f"An order that is {from_status} cannot become {to_status}.")
    order.status = to_status
    fields = ["status", "updated_at"]
    if to_status == OrderStatus.PAID:
        order.paid_at = timezone.now()
        fields.append("paid_at")
    if to_status == OrderStatus.DELIVERED:
        order.delivered_at = timezone.now()
        fields.append("delivered_at")
    order.save(update_fields=fields)
    OrderStatusChange.objects.create(
        order=order, from_status=from_status, to_status=to_status, actor=actor, note=note[:255]
    )
    logger.info("order %s: %s → %s by %s", order.pk, from_status, to_status, getattr(actor, "pk", "system"))
    return order


def _locked(order_id: int, label: str, change):
    """Run `change(order)` on the row-locked order in one transaction, retried on lock conflicts."""

    def run():
        with transaction.atomic():
            return change(Order.objects.select_for_update().get(pk=order_id))

    return with_lock_retry(run, label=f"order {order_id}: {label}")


def order_transition(
    *, order_id: int, to_status: str, actor=None, by_staff: bool = False, note: str = ""
) -> Order:
    """Lock the order and make a move the table allows that needs nothing else done. Shipping and
    delivering are `order_ship` / `order_deliver` (they mail the customer); cancelling is
    `checkout.services.order_cancel` (stock and money); paying and refunding are their flows'."""
    return _locked(
        order_id,
        to_status,
        lambda order: order_status_change(
            order=order, to_status=to_status, actor=actor, by_staff=by_staff, note=note
        ),
    )


def order_ship(
    *, order_id: int, carrier: str = "", tracking_number: str = "", actor=None, note: str = ""
) -> Order:
    """paid → shipped, with the parcel's carrier and tracking number when given (the staff API always
    gives them; the admin's bulk action and the status PATCH may not), and the customer is told."""
    shipment = (
        shipment_clean(carrier=carrier, tracking_number=tracking_number)
        if carrier or tracking_number
        else None
    )

    def change(order):
        order_status_change(order=order, to_status=OrderStatus.SHIPPED, actor=actor, by_staff=True, note=note)
        recorded = Shipment.objects.create(order=order, actor=actor, **shipment) if shipment else None
        email_notify(
            key=f"order:{order.pk}:shipped",
            template="orders/email/order_shipped",
            to=order.user.email,
            context={"order": order, "user": order.user, "shipment": recorded},
        )
        return order

    return _locked(order_id, "ship", change)


def order_deliver(*, order_id: int, actor=None, note: str = "") -> Order:
    """shipped → delivered; the customer is told (and may return the books for RETURN_WINDOW_DAYS from
    now), and invited to review the books unless their preferences turned review invitations off."""

    def change(order):
        order_status_change(
            order=order, to_status=OrderStatus.DELIVERED, actor=actor, by_staff=True, note=note
        )
        email_notify(
            key=f"order:{order.pk}:delivered",
            template="orders/email/order_delivered",
            to=order.user.email,
            context={
                "order": order,
                "user": order.user,
                "return_window_days": settings.RETURN_WINDOW_DAYS,
                "review_invite": preferences_for(user=order.user).review_invites,
            },
        )
        return order

    return _locked(order_id, "deliver", change)


def order_lines_clean(*, order: Order, lines) -> list[tuple[OrderItem, int]]:
    """`[{book_id, quantity}]` naming books of the order (each once, at least one copy) as
    `(order item, quantity)`, for refunds and returns; whether that many may be refunded or returned is
    the caller's rule. Raises ValidationError({"lines": [...]})."""
    items = {item.book_id: item for item in order.items.all()}
    problems, chosen, seen = [], [], set()
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationError({"lines": ["Name at least one book of the order: [{book_id, quantity}]."]})
    for line in lines:
        book_id, quantity = line.get("book_id"), line.get("quantity")
        item = items.get(book_id)
        if item is None:
            problems.append(f"Book {book_id} is not in order {order.pk}.")
        elif book_id in seen:
            problems.append(f"Book {book_id} is named twice.")
        elif isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            problems.append(f"Give at least one copy of book {book_id}.")
        else:
            chosen.append((item, quantity))
        seen.add(book_id)
    if problems:
        raise ValidationError({"lines": problems})
    return chosen

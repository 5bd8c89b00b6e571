"""`manage.py expire_unpaid_orders`: pending orders past pay_by are cancelled and give back what they held."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import order_placed
from checkout.services import order_status_set, orders_expire_unpaid
from orders.factories import CouponFactory
from orders.models import Coupon, Order, OrderStatus

pytestmark = pytest.mark.django_db


def _expire(**options) -> str:
    out = StringIO()
    call_command("expire_unpaid_orders", stdout=out, **options)
    return out.getvalue()


def _overdue(order, minutes=1):
    Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - timedelta(minutes=minutes))


@pytest.fixture
def book():
    return BookFactory(stock=10, price=Decimal("5.00"))


def test_overdue_pending_order_is_cancelled_and_gives_back_stock_and_coupon(user, book):
    coupon = CouponFactory(code="ONCE", max_uses=1)
    order = order_placed(user=user, lines=[(book, 3)], coupon_code="ONCE")
    _overdue(order)
    assert Book.objects.get(pk=book.pk).stock == 7

    output = _expire()

    assert output.strip() == "Cancelled 1 unpaid order(s) past their pay-by time."
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Book.objects.get(pk=book.pk).stock == 10
    returned = StockMovement.objects.get(order=order, reason=StockMovement.Reason.CANCELLATION)
    assert (returned.delta, returned.stock_after, returned.actor) == (3, 10, None)
    coupon.refresh_from_db()
    assert coupon.used_count == 0
    change = order.status_changes.last()
    assert (change.from_status, change.to_status, change.actor) == ("pending", "cancelled", None)
    assert change.note == "Payment window expired."


def test_fresh_paid_and_later_orders_are_left_alone(user, staff, book):
    fresh = order_placed(user=user, lines=[(book, 1)])
    paid = order_placed(user=user, lines=[(book, 1)])
    order_status_set(order_id=paid.id, to_status=OrderStatus.PAID)
    shipped = order_placed(user=user, lines=[(book, 1)])
    for status in (OrderStatus.PAID, OrderStatus.SHIPPED):
        order_status_set(order_id=shipped.id, to_status=status, actor=staff)
    for order in (paid, shipped):
        _overdue(order)

    output = _expire()

    assert output.strip() == "Cancelled 0 unpaid order(s) past their pay-by time."
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {fresh.id: "pending", paid.id: "paid", shipped.id: "shipped"}
    assert Book.objects.get(pk=book.pk).stock == 7
    assert not StockMovement.objects.filter(reason="cancellation").exists()


def test_running_twice_cancels_once(user, book):
    order = order_placed(user=user, lines=[(book, 4)])
    _overdue(order)

    first = _expire()
    second = _expire()

    assert "Cancelled 1 " in first and "Cancelled 0 " in second
    assert Book.objects.get(pk=book.pk).stock == 10
    assert StockMovement.objects.filter(order=order, reason="cancellation").count() == 1
    assert order.status_changes.filter(to_status="cancelled").count() == 1


def test_an_order_exactly_at_pay_by_is_not_yet_expired(user, book):
    order = order_placed(user=user, lines=[(book, 1)])

    assert orders_expire_unpaid(now=order.pay_by) == 0
    assert orders_expire_unpaid(now=order.pay_by + timedelta(microseconds=1)) == 1
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_limit_takes_the_longest_overdue_first(user, book):
    older = order_placed(user=user, lines=[(book, 1)])
    newer = order_placed(user=user, lines=[(book, 2)])
    _overdue(older, minutes=10)
    _overdue(newer, minutes=5)

    output = _expire(limit=1)

    assert "Cancelled 1 " in output
    assert dict(Order.objects.values_list("pk", "status")) == {older.id: "cancelled", newer.id: "pending"}
    assert Book.objects.get(pk=book.pk).stock == 8


@pytest.mark.parametrize("limit", ["0", "-1", "lots"])
def test_limit_must_be_a_positive_number(user, book, limit):
    order = order_placed(user=user, lines=[(book, 1)])
    _overdue(order)

    with pytest.raises(CommandError):
        call_command("expire_unpaid_orders", "--limit", limit, stdout=StringIO())

    order.refresh_from_db()
    assert order.status == "pending"


def test_expiry_leaves_the_coupon_count_alone_for_orders_without_one(user, book):
    coupon = CouponFactory(code="OTHER", used_count=2)
    order = order_placed(user=user, lines=[(book, 1)])
    _overdue(order)

    _expire()

    assert Coupon.objects.get(pk=coupon.pk).used_count == 2

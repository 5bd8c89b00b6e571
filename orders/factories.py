"""Coupons and orders for tests.

`OrderFactory` writes rows directly (for lists, filters and reports, where the checkout itself is not
under test); `order_placed` goes through the real cart and checkout services, stock ledger and all.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone

from accounts.factories import UserFactory
from cart.services import cart_add_book
from catalog.factories import BookFactory

from .models import Coupon, Order, OrderItem, OrderStatus
from .services import order_place


class CouponFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coupon

    code = factory.Sequence(lambda n: f"SAVE{n}")
    percent_off = Decimal("10.00")
    amount_off = None


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    user = factory.SubFactory(UserFactory)
    status = OrderStatus.PENDING
    currency = factory.LazyFunction(lambda: settings.SHOP_CURRENCY)
    subtotal = Decimal("10.00")
    discount = Decimal("0.00")
    total = factory.LazyAttribute(lambda order: order.subtotal - order.discount)
    pay_by = factory.LazyFunction(
        lambda: timezone.now() + timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES)
    )


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    book = factory.SubFactory(BookFactory)
    title = factory.LazyAttribute(lambda item: item.book.title)
    unit_price = factory.LazyAttribute(lambda item: item.book.price)
    quantity = 1
    line_total = factory.LazyAttribute(lambda item: item.unit_price * item.quantity)


def order_placed(*, user, lines: list[tuple], coupon_code: str | None = None, **checkout) -> Order:
    """Fill the user's cart with `(book, quantity)` lines and check it out through the real services."""
    for book, quantity in lines:
        cart_add_book(user=user, book_id=book.pk, quantity=quantity)
    return order_place(user=user, coupon_code=coupon_code, **checkout)

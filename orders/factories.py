"""Coupons and orders for tests, written directly (for lists, filters, reports and reviews, where the
checkout itself is not under test); `checkout.factories.order_placed` goes through the real checkout."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone

from accounts.factories import UserFactory
from catalog.factories import BookFactory

from .models import Coupon, Order, OrderItem, OrderStatus, ShippingMethod, TaxRate


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


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    """Free and everywhere unless told otherwise (so a test's totals are its books' unless it says)."""

    class Meta:
        model = ShippingMethod
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"method-{n}")
    name = factory.LazyAttribute(lambda method: method.code.replace("-", " ").title())
    countries = factory.LazyFunction(list)
    base_price = Decimal("0.00")
    per_item_price = Decimal("0.00")
    free_over = None
    estimated_days_min = 2
    estimated_days_max = 5


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate

    country = "US"
    region = ""
    tax_class = "reduced"
    rate = Decimal("0.0700")

"""Fixtures for the review tests: a customer who bought a book (the order written directly, since the
checkout is not what these tests are about)."""

from decimal import Decimal

import pytest

from orders.factories import OrderFactory, OrderItemFactory
from orders.models import OrderStatus


def place_order(user, *books, status=OrderStatus.PAID):
    """An order of one copy of each book, in `status`."""
    subtotal = sum((book.price for book in books), Decimal("0.00"))
    order = OrderFactory(user=user, status=status, subtotal=subtotal)
    for book in books:
        OrderItemFactory(order=order, book=book)
    return order


@pytest.fixture
def buy():
    return place_order

"""Fixtures for the catalog tests: buying a book the way a customer does (cart → order → paid)."""

import pytest
from django.db import connection

from cart.services import cart_add_book
from orders.models import OrderStatus
from orders.services import order_place, order_transition


@pytest.fixture(autouse=True)
def _mariadb_only(request):
    if request.node.get_closest_marker("mariadb") and connection.vendor != "mysql":
        pytest.skip("needs a real MySQL/MariaDB server (run with DATABASE_URL=mysql://...)")


def place_order(user, *books, status=OrderStatus.PAID):
    """An order for one copy of each book, moved to `status` through the order services."""
    for book in books:
        cart_add_book(user=user, book_id=book.pk, quantity=1)
    order = order_place(user=user)
    path = {
        OrderStatus.PENDING: [],
        OrderStatus.PAID: [OrderStatus.PAID],
        OrderStatus.SHIPPED: [OrderStatus.PAID, OrderStatus.SHIPPED],
        OrderStatus.DELIVERED: [OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED],
        OrderStatus.CANCELLED: [OrderStatus.CANCELLED],
    }[status]
    for step in path:
        order_transition(order_id=order.pk, to_status=step)
    order.refresh_from_db()
    return order


@pytest.fixture
def buy():
    return place_order

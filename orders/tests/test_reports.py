"""Staff reports: sales over paid-or-later orders, and books running low."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.factories import BookFactory
from catalog.services import book_deactivate
from orders.factories import OrderFactory, OrderItemFactory
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db

SALES = "/api/admin/reports/sales/"
LOW = "/api/admin/reports/low-stock/"


def _order(*, status, day, lines, discount="0.00"):
    """An order placed at noon (UTC) on `day` with `(book, quantity)` lines at the book's price."""
    subtotal = sum((book.price * quantity for book, quantity in lines), Decimal("0.00"))
    order = OrderFactory(status=status, subtotal=subtotal, discount=Decimal(discount))
    for book, quantity in lines:
        OrderItemFactory(order=order, book=book, quantity=quantity)
    placed = timezone.make_aware(datetime.fromisoformat(f"{day}T12:00:00"))
    Order.objects.filter(pk=order.pk).update(created_at=placed)
    return order


@pytest.fixture
def sales():
    dune = BookFactory(title="Dune", price=Decimal("10.00"))
    emma = BookFactory(title="Emma", price=Decimal("4.50"))
    _order(status=OrderStatus.PAID, day="2024-03-01", lines=[(dune, 2), (emma, 1)], discount="1.00")
    _order(status=OrderStatus.SHIPPED, day="2024-03-02", lines=[(emma, 3)])
    _order(status=OrderStatus.DELIVERED, day="2024-03-31", lines=[(dune, 1)])
    _order(status=OrderStatus.PENDING, day="2024-03-02", lines=[(dune, 5)])
    _order(status=OrderStatus.CANCELLED, day="2024-03-02", lines=[(emma, 7)])
    _order(status=OrderStatus.PAID, day="2024-04-01", lines=[(emma, 1)])
    return dune, emma


@pytest.mark.parametrize("path", [SALES, SALES.rstrip("/")])
def test_sales_counts_paid_or_later_orders_in_the_range(staff_client, sales, path):
    dune, emma = sales

    response = staff_client.get(f"{path}?from=2024-03-01&to=2024-03-31")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "orders": 3,
        "revenue": "47.00",  # (24.50 - 1.00) + 13.50 + 10.00
        "gross_revenue": "47.00",
        "refunded": "0.00",
        "items_sold": 7,
        "top_books": [
            {"book_id": emma.id, "title": "Emma", "quantity": 4, "revenue": "18.00"},
            {"book_id": dune.id, "title": "Dune", "quantity": 3, "revenue": "30.00"},
        ],
    }


def test_sales_days_are_inclusive(staff_client, sales):
    body = staff_client.get(f"{SALES}?from=2024-03-02&to=2024-03-02").json()

    assert (body["orders"], body["revenue"], body["items_sold"]) == (1, "13.50", 3)


def test_sales_without_dates_covers_everything(staff_client, sales):
    body = staff_client.get(SALES).json()

    assert (body["orders"], body["revenue"], body["items_sold"]) == (4, "51.50", 8)


def test_sales_with_open_ends(staff_client, sales):
    since = staff_client.get(f"{SALES}?from=2024-03-31").json()
    until = staff_client.get(f"{SALES}?to=2024-03-01").json()

    assert (since["orders"], since["revenue"]) == (2, "14.50")
    assert (until["orders"], until["revenue"]) == (1, "23.50")


def test_sales_over_an_empty_range_is_all_zero(staff_client, sales):
    body = staff_client.get(f"{SALES}?from=2023-01-01&to=2023-12-31").json()

    assert body == {
        "orders": 0,
        "revenue": "0.00",
        "gross_revenue": "0.00",
        "refunded": "0.00",
        "items_sold": 0,
        "top_books": [],
    }


def test_top_books_group_by_book_even_when_the_title_changed(staff_client):
    book = BookFactory(title="Old title", price=Decimal("5.00"))
    _order(status=OrderStatus.PAID, day="2024-05-01", lines=[(book, 1)])
    book.title = "New title"
    book.save()
    _order(status=OrderStatus.PAID, day="2024-05-02", lines=[(book, 2)])

    top = staff_client.get(SALES).json()["top_books"]

    assert len(top) == 1
    assert (top[0]["book_id"], top[0]["quantity"], top[0]["revenue"]) == (book.id, 3, "15.00")


def test_top_books_keep_books_removed_from_the_catalog(staff_client):
    book = BookFactory(title="Gone")
    _order(status=OrderStatus.PAID, day="2024-05-01", lines=[(book, 2)])
    book_deactivate(book=book)

    top = staff_client.get(SALES).json()["top_books"]

    assert [(row["book_id"], row["quantity"]) for row in top] == [(book.id, 2)]


def test_top_books_are_capped_at_ten(staff_client):
    for quantity in range(1, 13):
        _order(status=OrderStatus.PAID, day="2024-05-01", lines=[(BookFactory(), quantity)])

    top = staff_client.get(SALES).json()["top_books"]

    assert [row["quantity"] for row in top] == list(range(12, 2, -1))


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=yesterday", "date_from"),
        ("to=2024-13-01", "date_to"),
        ("from=2024-02-30", "date_from"),
        ("from=2024-04-01&to=2024-03-01", "from"),
        ("to=10000-01-01", "date_to"),
    ],
)
def test_sales_with_bad_dates_is_400(staff_client, query, field):
    response = staff_client.get(f"{SALES}?{query}")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=9999-12-31"])
def test_sales_at_the_ends_of_the_calendar(staff_client, sales, query):
    response = staff_client.get(f"{SALES}?{query}")

    assert response.status_code == 200
    assert response.json()["orders"] == 4


def test_low_stock_lists_active_books_at_or_under_the_threshold(staff_client):
    at = BookFactory(title="At", stock=5)
    under = BookFactory(title="Under", stock=0)
    BookFactory(title="Over", stock=6)
    removed = BookFactory(title="Removed", stock=1)
    book_deactivate(book=removed)

    response = staff_client.get(LOW)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [(row["id"], row["stock"]) for row in body["results"]] == [(under.id, 0), (at.id, 5)]
    assert {"title", "isbn", "price"} <= set(body["results"][0])


def test_low_stock_threshold(staff_client):
    BookFactory(stock=0)
    two = BookFactory(stock=2)
    BookFactory(stock=3)

    zero = staff_client.get(f"{LOW}?threshold=0").json()
    upto_two = staff_client.get(f"{LOW.rstrip('/')}?threshold=2").json()

    assert zero["count"] == 1
    assert upto_two["count"] == 2 and upto_two["results"][-1]["id"] == two.id


def test_low_stock_is_paginated(staff_client):
    BookFactory.create_batch(3, stock=1)

    body = staff_client.get(f"{LOW}?page_size=2").json()

    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


@pytest.mark.parametrize("threshold", ["-1", "x", "2.5", "99999999999999999999"])
def test_low_stock_with_a_bad_threshold_is_400(staff_client, threshold):
    response = staff_client.get(f"{LOW}?threshold={threshold}")

    assert response.status_code == 400
    assert "threshold" in response.json()


@pytest.mark.parametrize("path", [SALES, LOW])
def test_reports_are_staff_only(user_client, api_client, path):
    assert user_client.get(path).status_code == 403
    assert api_client.get(path).status_code == 401

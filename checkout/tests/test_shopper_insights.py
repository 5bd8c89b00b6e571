"""What shoppers do is counted where they do it: the book page, the catalog search, the carts and the
checkout; nothing is counted for a refused action, and nothing names the shopper."""

import pytest
from django.db import DatabaseError, connection
from django.test import Client

from catalog.factories import BookFactory
from checkout.factories import order_placed
from insights.models import DailyBookStats, DailySearchStats

# The counts are written after the transaction commits (at once in tests): these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


def book_rows() -> dict[int, tuple[int, int, int]]:
    return {row.book_id: (row.views, row.cart_adds, row.orders) for row in DailyBookStats.objects.all()}


def test_book_page_views_are_counted_but_not_head_requests(client):
    book = BookFactory()

    client.get(f"/books/{book.pk}/")
    client.get(f"/books/{book.pk}/")
    client.head(f"/books/{book.pk}/")

    assert book_rows() == {book.pk: (2, 0, 0)}


def test_catalog_searches_are_counted_with_those_that_found_nothing(client):
    BookFactory(title="Dune")

    client.get("/", {"search": "Dune"})
    client.get("/", {"search": "dune", "page": "2"})  # more of the same search
    client.get("/", {"search": "unicorns"})
    client.get("/")

    rows = {row.query: (row.searches, row.no_results) for row in DailySearchStats.objects.all()}
    assert rows == {"dune": (1, 0), "unicorns": (1, 1)}


def test_cart_adds_are_counted_for_accounts_and_anonymous_carts(client, user):
    book = BookFactory(stock=5)
    account = Client()
    account.force_login(user)

    client.post("/cart/add/", {"book_id": book.pk, "quantity": 1})
    account.post("/cart/add/", {"book_id": book.pk, "quantity": 1})
    account.post("/cart/add/", {"book_id": book.pk, "quantity": 50})  # refused: not enough stock

    assert book_rows() == {book.pk: (0, 2, 0)}


def test_placed_orders_count_each_book_once(user):
    dune, emma = BookFactory(stock=5), BookFactory(stock=5)

    order_placed(user=user, lines=[(dune, 2), (emma, 1)])

    assert book_rows() == {dune.pk: (0, 1, 1), emma.pk: (0, 1, 1)}


def test_no_counted_row_names_the_shopper(client, user):
    client.force_login(user)
    client.get(f"/books/{BookFactory().pk}/")
    client.get("/", {"search": "dune"})

    rows = [*DailyBookStats.objects.values(), *DailySearchStats.objects.values()]
    assert len(rows) == 2
    assert not any(user.email in str(row) or user.username in str(row) for row in rows)


def test_a_database_that_refuses_the_counts_never_fails_the_page(client):
    book = BookFactory()

    def refuse_the_daily_tables(execute, sql, params, many, context):
        if "insights_daily" in sql:
            raise DatabaseError("the database is away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_the_daily_tables):
        response = client.get(f"/books/{book.pk}/")  # counted at once in tests: refused

    assert response.status_code == 200 and book.title in response.text
    assert not DailyBookStats.objects.exists()

"""A customer's own orders: GET /api/orders/ and /api/orders/{id}/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.factories import ADDRESS, UserFactory
from catalog.factories import BookFactory
from checkout.factories import order_placed
from orders.factories import OrderFactory, OrderItemFactory
from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/orders/", "/api/orders"])
def test_list_shows_own_orders_newest_first(user, user_client, path):
    older = OrderFactory(user=user)
    newer = OrderFactory(user=user)
    OrderFactory(user=UserFactory())
    Order.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))

    body = user_client.get(path).json()

    assert body["count"] == 2
    assert [order["id"] for order in body["results"]] == [newer.id, older.id]


def test_list_is_paginated(user, user_client):
    orders = OrderFactory.create_batch(5, user=user)

    first = user_client.get("/api/orders/?page_size=2").json()
    last = user_client.get("/api/orders/?page_size=2&page=3").json()

    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["next"] and first["previous"] is None
    assert [order["id"] for order in last["results"]] == [orders[0].id]
    assert last["next"] is None
    assert user_client.get("/api/orders/?page=9").status_code == 404


def test_list_default_page_size_is_20_and_capped_at_100(user, user_client):
    OrderFactory.create_batch(21, user=user)

    assert len(user_client.get("/api/orders/").json()["results"]) == 20
    assert len(user_client.get("/api/orders/?page_size=500").json()["results"]) == 21


def test_detail_has_the_contract_fields(user, user_client):
    order = order_placed(user=user, lines=[(BookFactory(title="Dune", price="7.00"), 3)])

    response = user_client.get(f"/api/orders/{order.id}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {
        "id",
        "status",
        "items",
        "subtotal",
        "discount",
        "total",
        "currency",
        "shipping_address",
        "created_at",
        "pay_by",
        # Part 2
        "shipping_method",
        "shipping",
        "tax",
        "note",
        "history",
        "shipments",
        "refunds",
        "refunded_total",
    }
    assert body["items"] == [
        {
            "book_id": order.items.get().book_id,
            "title": "Dune",
            "unit_price": "7.00",
            "quantity": 3,
            "line_total": "21.00",
            "tax_class": "reduced",
            "discount": "0.00",
            "tax_rate": "0.0000",
            "tax": "0.00",
            "refunded_quantity": 0,
        }
    ]
    assert (body["status"], body["total"], body["currency"], body["shipping_address"]) == (
        "pending",
        "21.00",
        "USD",
        ADDRESS,
    )


def test_another_users_order_is_404(user_client):
    theirs = OrderItemFactory(order__user=UserFactory()).order

    response = user_client.get(f"/api/orders/{theirs.id}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_and_malformed_order_ids_are_404(user_client):
    assert user_client.get("/api/orders/424242/").status_code == 404
    assert user_client.get("/api/orders/abc/").status_code == 404
    assert user_client.get("/api/orders/" + "9" * 30 + "/").status_code == 404


def test_staff_see_only_their_own_orders_here(staff, staff_client):
    OrderFactory(user=UserFactory())
    own = OrderFactory(user=staff)

    body = staff_client.get("/api/orders/").json()

    assert [order["id"] for order in body["results"]] == [own.id]


def test_anonymous_is_401(api_client):
    order = OrderFactory()

    assert api_client.get("/api/orders/").status_code == 401
    assert api_client.get(f"/api/orders/{order.id}/").status_code == 401


def test_orders_cannot_be_changed_through_the_customer_route(user, user_client):
    order = OrderFactory(user=user)

    for method in ("put", "patch", "delete"):
        response = getattr(user_client, method)(f"/api/orders/{order.id}/", {"status": "paid"}, format="json")
        assert response.status_code == 405

    order.refresh_from_db()
    assert order.status == "pending"

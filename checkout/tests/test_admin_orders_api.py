"""Staff order management: GET/PATCH /api/admin/orders/ following the transition table."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import order_placed
from checkout.services import order_status_set
from orders.factories import OrderFactory
from orders.models import OrderStatus, OrderStatusChange

pytestmark = pytest.mark.django_db

URL = "/api/admin/orders/"


@pytest.fixture
def book():
    return BookFactory(stock=4, price=Decimal("6.00"))


@pytest.fixture
def order(user, book):
    return order_placed(user=user, lines=[(book, 3)])


def _paid(order):
    return order_status_set(order_id=order.id, to_status=OrderStatus.PAID)


def _history(order) -> list[tuple]:
    return list(order.status_changes.values_list("from_status", "to_status", "actor_id"))


@pytest.mark.parametrize("path", ["/api/admin/orders/", "/api/admin/orders"])
def test_staff_list_every_order_newest_first(staff_client, path):
    first = OrderFactory(user=UserFactory())
    second = OrderFactory(user=UserFactory())

    body = staff_client.get(path).json()

    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [second.id, first.id]
    assert body["results"][0]["user"] == second.user_id
    assert body["results"][0]["user_email"] == second.user.email


def test_filter_by_status(staff_client):
    OrderFactory(status=OrderStatus.PENDING)
    shipped = OrderFactory(status=OrderStatus.SHIPPED)

    body = staff_client.get(f"{URL}?status=shipped").json()

    assert [row["id"] for row in body["results"]] == [shipped.id]


def test_filter_by_user(staff_client, user):
    mine = OrderFactory(user=user)
    OrderFactory(user=UserFactory())

    body = staff_client.get(f"{URL}?user={user.id}").json()

    assert [row["id"] for row in body["results"]] == [mine.id]
    assert staff_client.get(f"{URL}?user=424242").json()["count"] == 0


@pytest.mark.parametrize(
    "query", ["status=bogus", "status=PAID", "user=abc", "user=0", "user=-4", "user=1.5", "user=" + "9" * 40]
)
def test_invalid_filters_are_400(staff_client, query):
    OrderFactory()

    response = staff_client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_staff_detail_shows_history(staff_client, order, user):
    body = staff_client.get(f"{URL}{order.id}/").json()

    assert body["id"] == order.id
    assert body["user"] == user.id
    assert [(c["from_status"], c["to_status"], c["actor"]) for c in body["status_changes"]] == [
        ("", "pending", user.id)
    ]


def test_detail_of_unknown_order_is_404(staff_client):
    assert staff_client.get(f"{URL}424242/").status_code == 404


def test_staff_cannot_mark_an_order_paid(staff_client, order):
    response = staff_client.patch(f"{URL}{order.id}/", {"status": "paid"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    order.refresh_from_db()
    assert (order.status, order.paid_at) == ("pending", None)
    assert len(_history(order)) == 1


def test_paid_then_shipped_then_delivered_records_each_change(staff, staff_client, order):
    _paid(order)

    shipped = staff_client.patch(f"{URL}{order.id}/", {"status": "shipped", "note": "DHL 123"}, format="json")
    delivered = staff_client.patch(f"{URL}{order.id}", {"status": "delivered"}, format="json")

    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["status"] == "shipped"
    assert delivered.status_code == 200
    assert delivered.json()["status"] == "delivered"
    assert _history(order) == [
        ("", "pending", order.user_id),
        ("pending", "paid", None),
        ("paid", "shipped", staff.id),
        ("shipped", "delivered", staff.id),
    ]
    assert OrderStatusChange.objects.get(order=order, to_status="shipped").note == "DHL 123"


def test_shipping_an_unpaid_order_is_409(staff_client, order):
    response = staff_client.patch(f"{URL}{order.id}/", {"status": "shipped"}, format="json")

    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == "pending"


def test_staff_cancel_a_paid_order_and_the_stock_returns(staff, staff_client, book, order):
    _paid(order)

    response = staff_client.patch(f"{URL}{order.id}/", {"status": "cancelled"}, format="json")

    assert response.status_code == 200
    assert Book.objects.get(pk=book.pk).stock == 4
    assert StockMovement.objects.get(order=order, reason="cancellation").actor == staff


def test_shipped_order_cannot_be_cancelled(staff_client, book, order):
    _paid(order)
    staff_client.patch(f"{URL}{order.id}/", {"status": "shipped"}, format="json")

    response = staff_client.patch(f"{URL}{order.id}/", {"status": "cancelled"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    order.refresh_from_db()
    assert order.status == "shipped"
    assert Book.objects.get(pk=book.pk).stock == 1


@pytest.mark.parametrize("target", ["pending", "paid", "shipped", "cancelled", "delivered"])
def test_delivered_order_cannot_change(staff_client, order, target):
    _paid(order)
    for step in ("shipped", "delivered"):
        order_status_set(order_id=order.id, to_status=step, by_staff=True)
    before = _history(order)

    response = staff_client.patch(f"{URL}{order.id}/", {"status": target}, format="json")

    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == "delivered"
    assert _history(order) == before


@pytest.mark.parametrize("target", ["pending", "paid", "shipped", "delivered", "cancelled"])
def test_cancelled_order_cannot_change(staff_client, book, order, target):
    order_status_set(order_id=order.id, to_status="cancelled", by_staff=True)

    response = staff_client.patch(f"{URL}{order.id}/", {"status": target}, format="json")

    assert response.status_code == 409
    assert Book.objects.get(pk=book.pk).stock == 4


@pytest.mark.parametrize(
    "payload", [{}, {"status": "lost"}, {"status": None}, {"status": "shipped", "note": "n" * 256}]
)
def test_malformed_patch_is_400(staff_client, order, payload):
    _paid(order)

    response = staff_client.patch(f"{URL}{order.id}/", payload, format="json")

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "paid"


def test_patch_cannot_touch_other_fields(staff_client, order):
    _paid(order)

    response = staff_client.patch(f"{URL}{order.id}/", {"status": "shipped", "total": "0.01"}, format="json")

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.total == Decimal("18.00")


def test_customer_is_403_and_anonymous_401(user_client, api_client, order):
    for client, expected in ((user_client, 403), (api_client, 401)):
        assert client.get(URL).status_code == expected
        assert client.get(f"{URL}{order.id}/").status_code == expected
        assert (
            client.patch(f"{URL}{order.id}/", {"status": "cancelled"}, format="json").status_code == expected
        )
    order.refresh_from_db()
    assert order.status == "pending"


def test_orders_cannot_be_created_or_deleted_here(staff_client, order):
    assert staff_client.post(URL, {"status": "paid"}, format="json").status_code == 405
    assert staff_client.delete(f"{URL}{order.id}/").status_code == 405
    assert staff_client.put(f"{URL}{order.id}/", {"status": "cancelled"}, format="json").status_code == 405
    order.refresh_from_db()
    assert order.status == "pending"

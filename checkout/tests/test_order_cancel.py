"""POST /api/orders/{id}/cancel/: the owner (or staff) cancels, the stock goes back to the shelf."""

from decimal import Decimal

import pytest
from django.core import mail

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book, PreBooking, StockMovement
from catalog.services import prebooking_cancel, prebooking_create
from checkout.factories import order_placed
from checkout.services import order_status_set
from conftest import client_for
from orders.models import OrderStatus, OrderStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    return BookFactory(stock=5, price=Decimal("8.00")), BookFactory(stock=3, price=Decimal("4.00"))


@pytest.fixture
def order(user, books):
    return order_placed(user=user, lines=[(books[0], 2), (books[1], 3)])


def _stock(*books) -> list[int]:
    return [Book.objects.get(pk=book.pk).stock for book in books]


@pytest.mark.parametrize("path", ["/api/orders/{id}/cancel/", "/api/orders/{id}/cancel"])
def test_owner_cancels_a_pending_order_and_the_stock_returns(user, user_client, books, order, path):
    assert _stock(*books) == [3, 0]

    response = user_client.post(path.format(id=order.id))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert _stock(*books) == [5, 3]
    returned = StockMovement.objects.filter(order=order, reason=StockMovement.Reason.CANCELLATION)
    assert {(m.book_id, m.delta, m.stock_after, m.actor_id) for m in returned} == {
        (books[0].id, 2, 5, user.id),
        (books[1].id, 3, 3, user.id),
    }
    assert sum(StockMovement.objects.filter(order=order).values_list("delta", flat=True)) == 0
    change = order.status_changes.last()
    assert (change.from_status, change.to_status, change.actor) == ("pending", "cancelled", user)


def test_cancel_twice_is_409_and_stock_is_returned_once(user_client, books, order):
    user_client.post(f"/api/orders/{order.id}/cancel/")

    response = user_client.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert _stock(*books) == [5, 3]
    assert StockMovement.objects.filter(order=order, reason="cancellation").count() == 2
    assert order.status_changes.count() == 2


def test_owner_cancels_a_paid_order_and_the_stock_returns(user_client, books, order):
    order_status_set(order_id=order.id, to_status=OrderStatus.PAID)

    response = user_client.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert _stock(*books) == [5, 3]


@pytest.mark.parametrize("reached", [["paid", "shipped"], ["paid", "shipped", "delivered"]])
def test_shipped_or_delivered_order_cannot_be_cancelled(user_client, staff, books, order, reached):
    for status in reached:
        order_status_set(order_id=order.id, to_status=status, actor=staff)

    response = user_client.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    order.refresh_from_db()
    assert order.status == reached[-1]
    assert _stock(*books) == [3, 0]
    assert not StockMovement.objects.filter(order=order, reason="cancellation").exists()


def test_staff_cancel_anyones_order_through_the_same_route(staff, staff_client, books, order):
    response = staff_client.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert _stock(*books) == [5, 3]
    assert OrderStatusChange.objects.filter(order=order, to_status="cancelled", actor=staff).exists()


def test_customer_cannot_cancel_another_users_order(books, order):
    stranger = client_for(UserFactory())

    response = stranger.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == "pending"
    assert _stock(*books) == [3, 0]
    assert not StockMovement.objects.filter(reason="cancellation").exists()


def test_cancel_unknown_order_is_404(user_client):
    assert user_client.post("/api/orders/424242/cancel/").status_code == 404


def test_anonymous_cancel_is_401(api_client, books, order):
    response = api_client.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 401
    order.refresh_from_db()
    assert order.status == "pending"


def test_cancel_only_takes_post(user_client, order):
    assert user_client.get(f"/api/orders/{order.id}/cancel/").status_code == 405
    order.refresh_from_db()
    assert order.status == "pending"


def test_cancelling_the_order_of_the_last_copy_notifies_the_waiting_prebookings(
    django_capture_on_commit_callbacks,
):
    book = BookFactory(stock=1, title="Dune")
    order = order_placed(user=UserFactory(), lines=[(book, 1)])  # the last copy: sold out
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)
    waiting = UserFactory.create_batch(2)
    for customer in waiting:
        prebooking_create(user=customer, book_id=book.pk)
    cancelled = UserFactory()
    prebooking_cancel(user=cancelled, prebooking_id=prebooking_create(user=cancelled, book_id=book.pk).pk)

    with django_capture_on_commit_callbacks(execute=True):
        order_status_set(order_id=order.pk, to_status=OrderStatus.CANCELLED)

    book.refresh_from_db()
    assert book.stock == 1
    # The waiting customers hear the title is back; the order's customer that the order was cancelled.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([order.user.email, *(c.email for c in waiting)])
    assert set(PreBooking.objects.filter(user__in=waiting).values_list("status", flat=True)) == {"notified"}
    assert PreBooking.objects.get(user=cancelled).status == "cancelled"

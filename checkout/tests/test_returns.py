"""Return requests (POST, GET /api/orders/{id}/returns/): a delivered order's customer asks within
RETURN_WINDOW_DAYS of delivery; staff answer with a refund (`return_id`) or reject with a reason, from
the API or the admin; the customer gets one email per step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import StaffFactory, UserFactory
from catalog.factories import BookFactory
from checkout.factories import order_placed
from checkout.tests.helpers import post_event
from orders.models import Order, OrderStatus, ReturnRequest, ReturnStatus
from orders.services import order_deliver, order_ship
from payments.factories import PaymentFactory
from payments.models import Refund
from payments.tests.helpers import event_body, intent_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(user, api_client, django_capture_on_commit_callbacks, mailoutbox):
    """A delivered order of 2 × Dune (12.50), paid through a signed webhook."""
    dune = BookFactory(title="Dune", price=Decimal("12.50"), stock=5)
    order = order_placed(user=user, lines=[(dune, 2)])
    payment = PaymentFactory(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(api_client, event_body("payment_intent.succeeded", intent_object(payment)))
    order_ship(order_id=order.pk, carrier="ups", tracking_number="1Z1")
    order_deliver(order_id=order.pk)
    mailoutbox.clear()
    return Order.objects.get(pk=order.pk), dune


def _ask(client, order, capture, **body):
    body = {"lines": [], "reason": "Not what I expected.", **body}
    with capture(execute=True):
        return client.post(f"/api/orders/{order.pk}/returns/", body, format="json")


def test_the_customer_asks_to_return_books(
    delivered, user_client, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune = delivered

    response = _ask(
        user_client, order, django_capture_on_commit_callbacks, lines=[{"book_id": dune.pk, "quantity": 1}]
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["order_id"], body["reason"], body["answer"]) == (
        "requested",
        order.pk,
        "Not what I expected.",
        "",
    )
    assert body["lines"] == [{"book_id": dune.pk, "title": "Dune", "quantity": 1}]
    assert user_client.get(f"/api/orders/{order.pk}/returns/").json()["results"] == [body]
    (message,) = mailoutbox
    assert "return request" in message.subject and "Dune" in message.body


def test_after_the_window_it_is_409_and_nothing_changes(
    delivered, user_client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune = delivered
    settings.RETURN_WINDOW_DAYS = 30
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=30, minutes=1))

    response = _ask(
        user_client, order, django_capture_on_commit_callbacks, lines=[{"book_id": dune.pk, "quantity": 1}]
    )

    assert (response.status_code, response.json()["code"]) == (409, "return_window_closed")
    assert not ReturnRequest.objects.exists() and mailoutbox == []


def test_an_order_not_delivered_cannot_be_returned(
    user, user_client, mailoutbox, django_capture_on_commit_callbacks
):
    book = BookFactory(stock=3)
    order = order_placed(user=user, lines=[(book, 1)])

    response = _ask(
        user_client, order, django_capture_on_commit_callbacks, lines=[{"book_id": book.pk, "quantity": 1}]
    )

    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize(
    "lines",
    [
        [{"book_id": "dune", "quantity": 3}],
        [{"book_id": 999999, "quantity": 1}],
        [{"book_id": "dune", "quantity": 1}, {"book_id": "dune", "quantity": 1}],
        [],
    ],
)
def test_bad_lines_are_400_and_nothing_changes(
    delivered, user_client, django_capture_on_commit_callbacks, lines
):
    order, dune = delivered
    lines = [{**line, "book_id": dune.pk if line["book_id"] == "dune" else line["book_id"]} for line in lines]

    response = _ask(user_client, order, django_capture_on_commit_callbacks, lines=lines)

    assert response.status_code == 400
    assert not ReturnRequest.objects.exists()


def test_open_requests_count_against_what_can_be_returned(
    delivered, user_client, django_capture_on_commit_callbacks
):
    order, dune = delivered
    capture = django_capture_on_commit_callbacks
    assert _ask(user_client, order, capture, lines=[{"book_id": dune.pk, "quantity": 2}]).status_code == 201

    again = _ask(user_client, order, capture, lines=[{"book_id": dune.pk, "quantity": 1}])

    assert again.status_code == 400 and ReturnRequest.objects.count() == 1


def test_someone_elses_order_is_404(delivered, django_capture_on_commit_callbacks):
    from conftest import client_for

    order, dune = delivered
    stranger = client_for(UserFactory())

    assert stranger.get(f"/api/orders/{order.pk}/returns/").status_code == 404
    response = _ask(
        stranger, order, django_capture_on_commit_callbacks, lines=[{"book_id": dune.pk, "quantity": 1}]
    )
    assert response.status_code == 404 and not ReturnRequest.objects.exists()


def test_staff_reject_with_a_reason(
    delivered, user_client, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune = delivered
    capture = django_capture_on_commit_callbacks
    request_id = _ask(user_client, order, capture, lines=[{"book_id": dune.pk, "quantity": 1}]).json()["id"]
    mailoutbox.clear()
    assert staff_client.get("/api/admin/returns/?status=requested").json()["count"] == 1

    with capture(execute=True):
        response = staff_client.post(
            f"/api/admin/returns/{request_id}/reject/", {"reason": "Opened and read."}, format="json"
        )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["answer"]) == ("rejected", "Opened and read.")
    (message,) = mailoutbox
    assert "declined" in message.subject and "Opened and read." in message.body
    again = staff_client.post(f"/api/admin/returns/{request_id}/reject/", {"reason": "Again."}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    assert (
        user_client.post(
            f"/api/admin/returns/{request_id}/reject/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )


def test_a_refund_with_the_return_id_answers_it_in_one_email(
    delivered, user_client, staff_client, stripe_down, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune = delivered
    capture = django_capture_on_commit_callbacks
    request_id = _ask(user_client, order, capture, lines=[{"book_id": dune.pk, "quantity": 1}]).json()["id"]
    mailoutbox.clear()

    with capture(execute=True):
        response = staff_client.post(
            f"/api/admin/orders/{order.pk}/refunds/",
            {
                "lines": [{"book_id": dune.pk, "quantity": 1}],
                "restock": True,
                "reason": "Returned unread.",
                "return_id": request_id,
            },
            format="json",
        )

    assert response.status_code == 201, response.content
    assert (response.json()["return_id"], response.json()["amount"]) == (request_id, "12.50")
    assert ReturnRequest.objects.get(pk=request_id).status == ReturnStatus.REFUNDED
    (message,) = mailoutbox  # the answer, with the refund: not a second "refund issued" email
    assert "refund on its way" in message.subject and "$12.50" in message.body
    answered = staff_client.post(
        f"/api/admin/orders/{order.pk}/refunds/",
        {"lines": [{"book_id": dune.pk, "quantity": 1}], "reason": "Again.", "return_id": request_id},
        format="json",
    )
    assert (answered.status_code, answered.json()["code"]) == (409, "invalid_transition")
    assert Refund.objects.count() == 1


def test_the_admin_rejects_returns_with_a_reason(
    delivered, user_client, client, django_capture_on_commit_callbacks
):
    order, dune = delivered
    request_id = _ask(
        user_client, order, django_capture_on_commit_callbacks, lines=[{"book_id": dune.pk, "quantity": 1}]
    ).json()["id"]
    client.force_login(StaffFactory(is_superuser=True))
    changelist = reverse("admin:orders_returnrequest_changelist")

    asked = client.post(changelist, {"action": "reject_returns", "_selected_action": [request_id]})
    assert asked.status_code == 200 and b"Reject" in asked.content
    assert ReturnRequest.objects.get(pk=request_id).status == ReturnStatus.REQUESTED

    done = client.post(
        changelist, {"action": "reject_returns", "_selected_action": [request_id], "reason": "Past its best."}
    )

    assert done.status_code == 302
    answered = ReturnRequest.objects.get(pk=request_id)
    assert (answered.status, answered.answer) == (ReturnStatus.REJECTED, "Past its best.")


def test_the_order_page_offers_the_return_form_while_the_window_is_open(
    delivered, client, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune = delivered
    client.force_login(order.user)
    page = reverse("checkout:detail", args=[order.pk])
    assert 'id="return-form"' in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("checkout:return", args=[order.pk]), {f"quantity-{dune.pk}": "1", "reason": "Too heavy."}
        )

    assert response.status_code == 302 and response.url == page
    assert ReturnRequest.objects.get().reason == "Too heavy."
    assert len(mailoutbox) == 1
    assert order.status == OrderStatus.DELIVERED

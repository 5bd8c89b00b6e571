"""Staff fulfilment: ship with carrier and tracking number, deliver, cancel with a reason; the order's
history and tracking on the API and the order page, and one email per event."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import order_placed
from checkout.services import order_status_set
from orders.models import Order, OrderStatus, Shipment
from orders.shipments import shipment_clean

pytestmark = pytest.mark.django_db

ADMIN_ORDERS = "/api/admin/orders/"


@pytest.fixture
def paid_order(user):
    order = order_placed(user=user, lines=[(BookFactory(title="Dune", price=Decimal("12.50"), stock=5), 2)])
    return order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)


@pytest.mark.parametrize(
    ("carrier", "number", "stored", "url"),
    [
        ("UPS", "1z999aa10123456784", "ups", "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
        (
            "usps",
            "9400 1000 0000 0000 0000 00",
            "usps",
            "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000",
        ),
        ("FedEx", "123456789012", "fedex", "https://www.fedex.com/fedextrack/?trknbr=123456789012"),
        (
            "dhl",
            "JD014600006281230704",
            "dhl",
            "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=JD014600006281230704",
        ),
        (
            "Royal Mail",
            "AB123456789GB",
            "royal-mail",
            "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB",
        ),
        ("Local Courier", "LC-42", "local-courier", ""),
    ],
)
def test_tracking_links_per_carrier(carrier, number, stored, url):
    cleaned = shipment_clean(carrier=carrier, tracking_number=number)

    assert (cleaned["carrier"], cleaned["tracking_url"]) == (stored, url)


def test_ship_records_the_shipment_and_mails_the_tracking_link(
    paid_order, staff, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"{ADMIN_ORDERS}{paid_order.pk}/ship/",
            {"carrier": "ups", "tracking_number": "1Z999AA10123456784"},
            format="json",
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "shipped"
    assert body["shipments"] == [
        {
            "carrier": "ups",
            "tracking_number": "1Z999AA10123456784",
            "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
            "shipped_at": body["shipments"][0]["shipped_at"],
        }
    ]
    assert [entry["status"] for entry in body["history"]] == ["pending", "paid", "shipped"]
    assert Shipment.objects.get().actor == staff
    (message,) = mailoutbox
    assert message.to == [paid_order.user.email] and "on its way" in message.subject
    assert "https://www.ups.com/track?tracknum=1Z999AA10123456784" in message.body
    assert f"http://127.0.0.1:8000/orders/{paid_order.pk}/" in message.body  # absolute, from SHOP_BASE_URL
    assert "tracknum=1Z999AA10123456784" in message.alternatives[0][0]


def test_deliver_mails_an_invitation_to_review(
    paid_order, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    staff_client.post(
        f"{ADMIN_ORDERS}{paid_order.pk}/ship/", {"carrier": "dhl", "tracking_number": "JD1"}, format="json"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{ADMIN_ORDERS}{paid_order.pk}/deliver/", {}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "delivered"
    assert Order.objects.get(pk=paid_order.pk).delivered_at is not None
    (message,) = mailoutbox
    book_id = paid_order.items.get().book_id
    assert "delivered" in message.subject
    assert f"http://127.0.0.1:8000/books/{book_id}/" in message.body and "return" in message.body


@pytest.mark.parametrize(
    ("action", "body"),
    [("ship", {"carrier": "ups", "tracking_number": "1Z"}), ("deliver", {}), ("cancel", {"reason": "Lost."})],
)
def test_a_move_the_status_does_not_allow_is_409_and_changes_nothing(
    user, staff_client, mailoutbox, django_capture_on_commit_callbacks, action, body
):
    order = order_placed(user=user, lines=[(BookFactory(stock=3), 1)])
    order_status_set(order_id=order.pk, to_status=OrderStatus.CANCELLED)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{ADMIN_ORDERS}{order.pk}/{action}/", body, format="json")

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert not Shipment.objects.exists() and mailoutbox == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"carrier": "ups"},
        {"tracking_number": "1Z"},
        {"carrier": "ups", "tracking_number": "1Z 99<script>"},
    ],
)
def test_ship_needs_a_carrier_and_a_tracking_number(paid_order, staff_client, body):
    response = staff_client.post(f"{ADMIN_ORDERS}{paid_order.pk}/ship/", body, format="json")

    assert response.status_code == 400
    assert Order.objects.get(pk=paid_order.pk).status == "paid" and not Shipment.objects.exists()


def test_staff_cancel_needs_a_reason_which_the_customer_reads_once(
    paid_order, user_client, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    assert staff_client.post(f"{ADMIN_ORDERS}{paid_order.pk}/cancel/", {}, format="json").status_code == 400
    assert Order.objects.get(pk=paid_order.pk).status == "paid"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"{ADMIN_ORDERS}{paid_order.pk}/cancel/",
            {"reason": "Out of print at the publisher."},
            format="json",
        )

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    history = user_client.get(f"/api/orders/{paid_order.pk}/").json()["history"]
    assert history[-1]["status"] == "cancelled" and history[-1]["note"] == "Out of print at the publisher."
    assert Book.objects.get(pk=paid_order.items.get().book_id).stock == 5
    (message,) = mailoutbox  # one email: the reason (no payment on record here, so no refund)
    assert "cancelled" in message.subject and "Out of print at the publisher." in message.body


def test_customers_cannot_ship_or_refund(paid_order, user_client):
    for action in ("ship", "deliver", "cancel", "refunds"):
        assert (
            user_client.post(f"{ADMIN_ORDERS}{paid_order.pk}/{action}/", {}, format="json").status_code == 403
        )


def test_the_order_page_shows_the_timeline_and_the_tracking_link(paid_order, client, staff_client):
    staff_client.post(
        f"{ADMIN_ORDERS}{paid_order.pk}/ship/",
        {"carrier": "royal-mail", "tracking_number": "AB123456789GB"},
        format="json",
    )
    client.force_login(paid_order.user)

    html = client.get(reverse("checkout:detail", args=[paid_order.pk])).content.decode()

    assert 'id="order-timeline"' in html
    for status in ("Pending payment", "Paid", "Shipped"):
        assert status in html
    assert 'href="https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB"' in html

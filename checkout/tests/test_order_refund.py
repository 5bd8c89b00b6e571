"""Refunds through a real localstripe (POST /api/admin/orders/{id}/refunds/): each line's share of what
was paid (after its discount, with its tax), shipping with its tax, restock through the ledger, never
more than was paid, the `refunded` status, one email, and sales reports net of refunds."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.factories import ADDRESS
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import order_placed
from orders.factories import CouponFactory, ShippingMethodFactory, TaxRateFactory
from orders.models import Order, OrderStatus
from payments.models import Payment, Refund, RefundStatus
from payments.tests.helpers import event_body

from .helpers import post_event

pytestmark = [pytest.mark.stripe, pytest.mark.django_db]

D = Decimal


@pytest.fixture
def paid_order(user, user_client, api_client, stripe_api, django_capture_on_commit_callbacks, mailoutbox):
    """28.35 of books (Dune 2 × 12.50 reduced, Emma 3.35 standard), 10 % off, ground 5.50, Illinois tax:
    total 33.27, paid by card through localstripe and its signed webhook. Per line, paid: Dune 23.91
    (25.00 − 2.50 + 1.41), Emma 3.31 (3.35 − 0.34 + 0.30); shipping 6.05 (5.50 + 0.55)."""
    ShippingMethodFactory(code="ground", countries=["US"], base_price=D("4.00"), per_item_price=D("0.50"))
    TaxRateFactory(country="US", region="IL", tax_class="reduced", rate=D("0.0625"))
    TaxRateFactory(country="US", region="IL", tax_class="standard", rate=D("0.1000"))
    CouponFactory(code="TEN", percent_off=D("10"))
    dune = BookFactory(title="Dune", price=D("12.50"), stock=5)
    emma = BookFactory(title="Emma", price=D("3.35"), stock=5, tax_class="standard")
    order = order_placed(
        user=user,
        lines=[(dune, 2), (emma, 1)],
        coupon_code="TEN",
        shipping_method="ground",
        shipping_address=ADDRESS,
    )
    assert order.total == D("33.27")
    intent_id = user_client.post(f"/api/orders/{order.pk}/payment/").json()["payment_intent_id"]
    assert stripe_api.pay(intent_id)["status"] == "succeeded"
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(
            api_client, event_body("payment_intent.succeeded", stripe_api.intent(intent_id))
        ).json() == {"status": "order paid"}
    mailoutbox.clear()
    order.refresh_from_db()
    return order, dune, emma


def _refund(staff_client, order, capture, **body):
    body = {"lines": [], "shipping": False, "restock": False, "reason": "Refund.", **body}
    with capture(execute=True):
        return staff_client.post(f"/api/admin/orders/{order.pk}/refunds/", body, format="json")


def _stripe_amounts(stripe_api, order) -> list[int]:
    intent_id = Payment.objects.get(order=order).payment_intent_id
    return sorted(refund["amount"] for refund in stripe_api.refunds(intent_id))


def test_a_partial_refund_with_restock(
    paid_order, staff_client, stripe_api, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune, _emma = paid_order

    response = _refund(
        staff_client,
        order,
        django_capture_on_commit_callbacks,
        lines=[{"book_id": dune.pk, "quantity": 1}],
        restock=True,
        reason="Damaged cover.",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    # Answered when the refund is recorded; Stripe is asked once the transaction has committed.
    assert (body["amount"], body["status"], body["reason"], body["restock"]) == (
        "11.96",
        "required",
        "Damaged cover.",
        True,
    )
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED
    assert body["lines"] == [{"book_id": dune.pk, "title": "Dune", "quantity": 1, "amount": "11.96"}]
    assert _stripe_amounts(stripe_api, order) == [1196]
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == (OrderStatus.PAID, D("11.96"))
    assert Book.objects.get(pk=dune.pk).stock == 4
    movement = StockMovement.objects.get(book=dune, reason="return")
    assert (movement.delta, movement.order_id) == (1, order.pk)
    (message,) = mailoutbox
    assert "refund" in message.subject.lower() and "$11.96" in message.body


def test_refunding_everything_piece_by_piece_pays_back_exactly_the_total(
    paid_order, staff_client, user_client, stripe_api, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune, emma = paid_order
    capture = django_capture_on_commit_callbacks

    amounts = [
        _refund(staff_client, order, capture, lines=[{"book_id": dune.pk, "quantity": 1}]).json()["amount"],
        _refund(staff_client, order, capture, shipping=True).json()["amount"],
        _refund(
            staff_client,
            order,
            capture,
            lines=[{"book_id": dune.pk, "quantity": 1}, {"book_id": emma.pk, "quantity": 1}],
        ).json()["amount"],
    ]

    assert amounts == ["11.96", "6.05", "15.26"]  # 11.95 + 3.31: the second copy gets the rest of the line
    assert sum(D(amount) for amount in amounts) == D("33.27")
    assert _stripe_amounts(stripe_api, order) == [605, 1196, 1526]
    body = user_client.get(f"/api/orders/{order.pk}/").json()
    assert (body["status"], body["refunded_total"]) == ("refunded", "33.27")
    assert [entry["status"] for entry in body["history"]][-1] == "refunded"
    assert [refund["amount"] for refund in body["refunds"]] == amounts
    assert len(mailoutbox) == 3  # one per refund
    # Nothing more can be refunded.
    again = _refund(staff_client, order, capture, shipping=True)
    assert (again.status_code, again.json()["code"]) == (409, "order_not_refundable")


@pytest.mark.parametrize(
    "body",
    [
        {"lines": [{"book_id": "dune", "quantity": 3}]},
        {"shipping": True, "lines": [{"book_id": "emma", "quantity": 2}]},
    ],
)
def test_more_than_was_paid_is_409_and_nothing_changes(
    paid_order, staff_client, stripe_api, mailoutbox, django_capture_on_commit_callbacks, body
):
    order, dune, emma = paid_order
    ids = {"dune": dune.pk, "emma": emma.pk}
    body = {**body, "lines": [{**line, "book_id": ids[line["book_id"]]} for line in body["lines"]]}

    response = _refund(staff_client, order, django_capture_on_commit_callbacks, restock=True, **body)

    assert response.status_code == 409
    assert response.json()["code"] == "refund_exceeds_paid" and response.json()["detail"]
    order.refresh_from_db()
    assert (order.refunded_total, order.status) == (D("0.00"), OrderStatus.PAID)
    assert not Refund.objects.exists() and _stripe_amounts(stripe_api, order) == []
    assert [Book.objects.get(pk=b.pk).stock for b in (dune, emma)] == [3, 4]
    assert mailoutbox == []


def test_the_shipping_cannot_be_refunded_twice(
    paid_order, staff_client, stripe_api, django_capture_on_commit_callbacks
):
    order, _dune, _emma = paid_order
    assert _refund(staff_client, order, django_capture_on_commit_callbacks, shipping=True).status_code == 201

    again = _refund(staff_client, order, django_capture_on_commit_callbacks, shipping=True)

    assert (again.status_code, again.json()["code"]) == (409, "refund_exceeds_paid")
    assert _stripe_amounts(stripe_api, order) == [605]


def test_an_unpaid_order_cannot_be_refunded(
    user, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    order = order_placed(user=user, lines=[(BookFactory(stock=3), 1)])
    mailoutbox.clear()

    response = _refund(staff_client, order, django_capture_on_commit_callbacks, shipping=True)

    assert (response.status_code, response.json()["code"]) == (409, "order_not_refundable")
    assert not Refund.objects.exists() and Order.objects.get(pk=order.pk).refunded_total == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    "body",
    [
        {"lines": [{"book_id": 999999, "quantity": 1}]},
        {"lines": [{"book_id": "dune", "quantity": 0}]},
        {"lines": []},
        {"lines": [{"book_id": "dune", "quantity": 1}], "reason": ""},
        {"lines": [{"book_id": "dune", "quantity": 1}], "return_id": 999999},
    ],
)
def test_bad_refund_input_is_400_and_nothing_changes(
    paid_order, staff_client, stripe_api, django_capture_on_commit_callbacks, body
):
    order, dune, _emma = paid_order
    body = {
        **body,
        "lines": [
            {**line, "book_id": dune.pk if line["book_id"] == "dune" else line["book_id"]}
            for line in body["lines"]
        ],
    }

    response = _refund(staff_client, order, django_capture_on_commit_callbacks, **body)

    assert response.status_code == 400, response.content
    assert not Refund.objects.exists() and _stripe_amounts(stripe_api, order) == []


def test_cancelling_after_a_partial_refund_refunds_the_rest_in_one_email(
    paid_order, staff_client, stripe_api, mailoutbox, django_capture_on_commit_callbacks
):
    order, dune, emma = paid_order
    _refund(
        staff_client,
        order,
        django_capture_on_commit_callbacks,
        lines=[{"book_id": dune.pk, "quantity": 1}],
        restock=True,
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/api/admin/orders/{order.pk}/cancel/", {"reason": "Customer moved abroad."}, format="json"
        )

    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == (OrderStatus.CANCELLED, order.total)
    assert _stripe_amounts(stripe_api, order) == [1196, 2131]  # 33.27 − 11.96
    # Every copy is back on the shelf once: one through the refund, the rest through the cancellation.
    assert [Book.objects.get(pk=b.pk).stock for b in (dune, emma)] == [5, 5]
    (message,) = mailoutbox
    assert (
        "cancelled" in message.subject
        and "Customer moved abroad." in message.body
        and "$21.31" in message.body
    )


def test_a_refund_stripe_cannot_take_now_is_retried_later(
    paid_order, staff_client, stripe_api, settings, django_capture_on_commit_callbacks
):
    order, dune, _emma = paid_order
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    response = _refund(
        staff_client, order, django_capture_on_commit_callbacks, lines=[{"book_id": dune.pk, "quantity": 2}]
    )

    assert response.status_code == 201 and response.json()["status"] == RefundStatus.REQUIRED
    settings.STRIPE_API_BASE = stripe_api.url
    call_command("retry_refunds")
    call_command("retry_refunds")
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED
    assert _stripe_amounts(stripe_api, order) == [2391]


def test_sales_reports_are_net_of_refunds(paid_order, staff_client, django_capture_on_commit_callbacks):
    order, dune, _emma = paid_order
    _refund(
        staff_client, order, django_capture_on_commit_callbacks, lines=[{"book_id": dune.pk, "quantity": 1}]
    )

    report = staff_client.get("/api/admin/reports/sales/").json()

    assert (report["orders"], report["gross_revenue"], report["refunded"], report["revenue"]) == (
        1,
        "33.27",
        "11.96",
        "21.31",
    )
    assert report["items_sold"] == 2
    assert report["top_books"][0]["quantity"] == 1 or report["top_books"][1]["quantity"] == 1

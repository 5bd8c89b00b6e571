"""The whole loop with nothing stood in: the shop's API, localstripe, and localstripe's signed webhooks
delivered over HTTP to the shop running as a live server."""

import pytest
from django.core import mail

from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import checkout_body
from notifications.models import EmailNotification
from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus, RefundStatus

from .helpers import wait_until

pytestmark = [pytest.mark.stripe, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(stripe_live, user_client, mailoutbox):
    """localstripe sends its webhooks to the live shop; the mail box starts empty."""
    return user_client


def _checkout(client) -> dict:
    book = BookFactory(title="End to End", price="12.50", stock=3)
    assert (
        client.post("/api/cart/items/", {"book_id": book.pk, "quantity": 2}, format="json").status_code == 201
    )
    response = client.post("/api/orders/", checkout_body(), format="json")
    assert response.status_code == 201, response.content
    mail.outbox.clear()  # the order confirmation
    return response.json()


def _status(order_id) -> str:
    return Order.objects.get(pk=order_id).status


def test_a_card_payment_pays_the_order(shop, stripe_api):
    order = _checkout(shop)
    intent = shop.post(f"/api/orders/{order['id']}/payment/").json()
    assert intent["amount"] == "25.00"

    stripe_api.pay(intent["payment_intent_id"], "pm_card_visa")

    wait_until(lambda: _status(order["id"]) == OrderStatus.PAID, what="the order to be paid")
    payment = Payment.objects.get(payment_intent_id=intent["payment_intent_id"])
    assert payment.status == PaymentStatus.SUCCEEDED
    wait_until(lambda: len(mail.outbox) == 1, what="the payment email")
    assert mail.outbox[0].subject == f"Payment received for your order #{order['id']}"
    body = shop.get(f"/api/orders/{order['id']}/").json()
    assert body["status"] == "paid"
    assert [(p["payment_intent_id"], p["status"]) for p in body["payments"]] == [
        (intent["payment_intent_id"], "succeeded")
    ]


def test_a_declined_card_leaves_the_order_payable_and_mails_a_link_to_pay_again(shop, stripe_api, settings):
    order = _checkout(shop)
    intent = shop.post(f"/api/orders/{order['id']}/payment/").json()

    declined = stripe_api.pay(intent["payment_intent_id"], "pm_card_chargeCustomerFail")

    assert declined["error"]["code"] == "card_declined"
    payment = wait_until(
        lambda: Payment.objects.filter(
            payment_intent_id=intent["payment_intent_id"], status=PaymentStatus.FAILED
        ).first(),
        what="the failed payment to be recorded",
    )
    assert payment.failure_reason == "Your card was declined."
    assert _status(order["id"]) == OrderStatus.PENDING
    # The customer is told, once, with the link to pay again (the order page, on SITE_URL).
    [message] = wait_until(lambda: list(mail.outbox), what="the payment-failed email")
    assert message.subject == f"Your payment for order #{order['id']} did not go through"
    order_url = f"{settings.SITE_URL}/orders/{order['id']}/"
    assert "payment of $25.00" in message.body and "Your card was declined." in message.body
    assert order_url in message.body and f'href="{order_url}"' in message.alternatives[0][0]
    assert EmailNotification.objects.filter(template="payments/email/payment_failed").count() == 1
    retry = shop.post(f"/api/orders/{order['id']}/payment/")
    assert retry.status_code == 201 and retry.json()["payment_intent_id"] != intent["payment_intent_id"]


def test_cancelling_a_paid_order_refunds_it_once(shop, stripe_api):
    order = _checkout(shop)
    intent = shop.post(f"/api/orders/{order['id']}/payment/").json()
    stripe_api.pay(intent["payment_intent_id"])
    wait_until(lambda: _status(order["id"]) == OrderStatus.PAID, what="the order to be paid")
    assert Book.objects.get(title="End to End").stock == 1

    cancelled = shop.post(f"/api/orders/{order['id']}/cancel/")
    again = shop.post(f"/api/orders/{order['id']}/cancel/")

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    refunds = stripe_api.refunds(intent["payment_intent_id"])
    assert len(refunds) == 1 and refunds[0]["amount"] == 2500
    payment = Payment.objects.get(payment_intent_id=intent["payment_intent_id"])
    refund = payment.refunds.get()
    assert refund.status == RefundStatus.SUCCEEDED and refund.stripe_refund_id == refunds[0]["id"]
    assert Book.objects.get(title="End to End").stock == 3

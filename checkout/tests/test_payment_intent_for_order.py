"""POST /api/orders/{id}/payment/: one usable Stripe PaymentIntent per order, against a real localstripe."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.factories import UserFactory
from checkout import services as checkout_services
from checkout.services import order_status_set
from conftest import client_for
from orders.models import Order, OrderStatus
from payments import services as payment_services
from payments.models import Payment, PaymentStatus
from payments.tests.helpers import event_body, intent_object

from .helpers import place_order, post_event

pytestmark = pytest.mark.stripe


def _pay_url(order):
    return f"/api/orders/{order.pk}/payment/"


@pytest.mark.django_db
def test_creates_an_intent_for_the_order_total(user, user_client, stripe_api, settings):
    order = place_order(user, price="12.50", quantity=2)

    response = user_client.post(_pay_url(order))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"payment_intent_id", "client_secret", "publishable_key", "amount", "currency"}
    assert body["amount"] == "25.00" and body["currency"] == "USD"
    assert body["publishable_key"] == settings.STRIPE_PUBLISHABLE_KEY
    intent = stripe_api.intent(body["payment_intent_id"])
    assert intent["amount"] == 2500 and intent["currency"] == "usd"
    assert intent["metadata"] == {"order_id": str(order.pk)}
    assert intent["client_secret"] == body["client_secret"]
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT and payment.attempt == 1


@pytest.mark.django_db
def test_a_second_click_reuses_the_intent(user, user_client, stripe_api):
    order = place_order(user)
    first = user_client.post(_pay_url(order))
    second = user_client.post(f"/api/orders/{order.pk}/payment")  # without the slash too

    assert first.status_code == 201 and second.status_code == 200, second.content
    assert second.json() == first.json()
    assert Payment.objects.filter(order=order).count() == 1
    assert len(stripe_api.intents_for_order(order.pk)) == 1


@pytest.mark.django_db
def test_someone_elses_order_is_not_found(user, stripe_api, api_client):
    order = place_order(user)
    stranger = client_for(UserFactory())

    assert stranger.post(_pay_url(order)).status_code == 404
    assert api_client.post(_pay_url(order)).status_code == 401
    assert not Payment.objects.exists()
    assert stripe_api.intents_for_order(order.pk) == []


@pytest.mark.django_db
def test_a_cancelled_order_is_not_payable(user, user_client, stripe_api):
    order = place_order(user)
    order_status_set(order_id=order.pk, to_status=OrderStatus.CANCELLED, actor=user)

    response = user_client.post(_pay_url(order))

    assert response.status_code == 409 and response.json()["code"] == "order_not_payable"
    assert not Payment.objects.exists()
    assert stripe_api.intents_for_order(order.pk) == []


@pytest.mark.django_db
def test_an_order_past_its_pay_by_is_not_payable(user, user_client, stripe_api):
    order = place_order(user)
    Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - timedelta(seconds=1))

    response = user_client.post(_pay_url(order))

    assert response.status_code == 409 and response.json()["code"] == "order_not_payable"
    assert not Payment.objects.exists()
    assert stripe_api.intents_for_order(order.pk) == []


@pytest.mark.django_db
def test_a_failed_attempt_gets_a_new_intent(user, user_client, api_client, stripe_api):
    order = place_order(user)
    first = user_client.post(_pay_url(order)).json()
    declined = stripe_api.pay(first["payment_intent_id"], "pm_card_chargeCustomerFail")
    assert declined["error"]["code"] == "card_declined"
    failed = Payment.objects.get(payment_intent_id=first["payment_intent_id"])
    intent = stripe_api.intent(failed.payment_intent_id)
    assert post_event(api_client, event_body("payment_intent.payment_failed", intent)).status_code == 200

    response = user_client.post(_pay_url(order))

    assert response.status_code == 201, response.content
    assert response.json()["payment_intent_id"] != first["payment_intent_id"]
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED and failed.failure_reason == "Your card was declined."
    assert list(Payment.objects.filter(order=order).order_by("attempt").values_list("attempt", "status")) == [
        (1, PaymentStatus.FAILED),
        (2, PaymentStatus.REQUIRES_PAYMENT),
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.django_db
def test_provider_outage_is_a_502_and_leaves_nothing_behind(user, user_client, stripe_down, mailoutbox):
    order = place_order(user)

    response = user_client.post(_pay_url(order))

    assert response.status_code == 502, response.content
    assert response.json()["code"] == "payment_provider_error"
    assert not Payment.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.django_db
def test_after_an_outage_the_next_click_creates_the_intent(user, user_client, stripe_api, settings):
    order = place_order(user)
    reachable = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    assert user_client.post(_pay_url(order)).status_code == 502
    settings.STRIPE_API_BASE = reachable

    response = user_client.post(_pay_url(order))

    assert response.status_code == 201
    assert Payment.objects.get(order=order).attempt == 1
    assert len(stripe_api.intents_for_order(order.pk)) == 1


@pytest.mark.django_db
def test_the_order_shows_its_payments_without_the_client_secret(user, user_client, stripe_api):
    order = place_order(user)
    intent = user_client.post(_pay_url(order)).json()

    body = user_client.get(f"/api/orders/{order.pk}/").json()

    assert [p["payment_intent_id"] for p in body["payments"]] == [intent["payment_intent_id"]]
    assert set(body["payments"][0]) == {
        "payment_intent_id",
        "amount",
        "currency",
        "status",
        "failure_reason",
        "created_at",
    }
    assert intent["client_secret"] not in user_client.get("/api/orders/").content.decode()


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_clicks_make_one_intent(stripe_api):
    user = UserFactory()
    order = place_order(user)
    barrier = threading.Barrier(2)
    answers = []

    def click():
        try:
            client = client_for(user)
            barrier.wait()
            answers.append(client.post(_pay_url(order)))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert answers[0].json() == answers[1].json()
    assert Payment.objects.filter(order=order).count() == 1
    assert len(stripe_api.intents_for_order(order.pk)) == 1


@pytest.mark.django_db
def test_the_intent_for_a_paid_order_is_refused(user, user_client, api_client, stripe_api, mailoutbox):
    order = place_order(user)
    intent_id = user_client.post(_pay_url(order)).json()["payment_intent_id"]
    stripe_api.pay(intent_id)
    payment = Payment.objects.get(order=order)
    post_event(api_client, event_body("payment_intent.succeeded", intent_object(payment)))

    response = user_client.post(_pay_url(order))

    assert response.status_code == 409 and response.json()["code"] == "order_not_payable"
    assert Payment.objects.filter(order=order).count() == 1


def _placeholder(order, *, age: timedelta) -> Payment:
    """The row a click leaves while it asks Stripe for the intent."""
    payment = Payment.objects.create(order=order, attempt=1, amount=order.total, currency=order.currency)
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - age)
    return payment


@pytest.mark.django_db
def test_a_click_waits_for_the_intent_another_click_is_creating(user, user_client, stripe_api, monkeypatch):
    order = place_order(user)
    _placeholder(order, age=timedelta(seconds=1))
    monkeypatch.setattr(checkout_services, "CLAIM_WAIT_SECONDS", 0.3)

    response = user_client.post(_pay_url(order))

    assert response.status_code == 503 and response.json()["code"] == "busy"
    assert Payment.objects.get(order=order).status == PaymentStatus.CREATING
    assert stripe_api.intents_for_order(order.pk) == []


@pytest.mark.django_db
def test_an_abandoned_placeholder_is_taken_over(user, user_client, stripe_api):
    order = place_order(user)
    abandoned = _placeholder(order, age=payment_services.CLAIM_STALE_AFTER + timedelta(seconds=1))

    response = user_client.post(_pay_url(order))

    assert response.status_code == 201
    abandoned.refresh_from_db()
    assert abandoned.payment_intent_id == response.json()["payment_intent_id"]
    assert abandoned.status == PaymentStatus.REQUIRES_PAYMENT and abandoned.attempt == 1
    assert Payment.objects.filter(order=order).count() == 1

"""POST /api/payments/webhook/ with events built and signed here exactly as Stripe signs them."""

import logging
import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from checkout.services import order_status_set
from orders.models import Order, OrderStatus, OrderStatusChange
from payments import stripe_client
from payments.factories import PaymentFactory
from payments.models import Payment, PaymentStatus, ProcessedEvent, Refund, RefundStatus
from payments.tests.helpers import event_body, intent_object, sign

from .helpers import place_order, post_event

SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"
DECLINED = {"code": "card_declined", "message": "Your card was declined."}


@pytest.fixture
def payment(user):
    return PaymentFactory(order=place_order(user))


def _paid_transitions(order) -> int:
    return OrderStatusChange.objects.filter(order=order, to_status=OrderStatus.PAID).count()


def _assert_nothing_changed(payment, mailoutbox, *, status=PaymentStatus.REQUIRES_PAYMENT):
    payment.refresh_from_db()
    order = Order.objects.get(pk=payment.order_id)
    assert order.status == OrderStatus.PENDING and order.paid_at is None
    assert _paid_transitions(order) == 0
    assert payment.status == status
    assert not Refund.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_success_pays_the_order_and_sends_the_email(
    payment, api_client, mailoutbox, django_capture_on_commit_callbacks
):
    body = event_body(SUCCEEDED, intent_object(payment))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(api_client, body)

    assert response.status_code == 200 and response.json() == {"status": "order paid"}
    payment.refresh_from_db()
    order = Order.objects.get(pk=payment.order_id)
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert payment.status == PaymentStatus.SUCCEEDED and not Refund.objects.exists()
    assert ProcessedEvent.objects.get().outcome == "order paid"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == f"Payment received for your order #{order.pk}"
    assert mailoutbox[0].to == [order.user.email]


@pytest.mark.django_db
def test_the_same_event_five_times_pays_once(
    payment, api_client, mailoutbox, django_capture_on_commit_callbacks
):
    body = event_body(SUCCEEDED, intent_object(payment))

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [post_event(api_client, body).json()["status"] for _ in range(5)]

    assert outcomes == ["order paid"] + ["duplicate"] * 4
    assert _paid_transitions(payment.order) == 1
    assert ProcessedEvent.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_the_same_event_from_two_threads_pays_once(user, mailoutbox):
    payment = PaymentFactory(order=place_order(user))
    mailoutbox.clear()  # the order confirmation
    body = event_body(SUCCEEDED, intent_object(payment))
    signature = sign(body)
    barrier = threading.Barrier(2)
    outcomes = []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(post_event(APIClient(), body, signature).json()["status"])
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["duplicate", "order paid"]
    assert _paid_transitions(payment.order) == 1
    assert ProcessedEvent.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_success_after_a_failed_attempt_pays(payment, api_client):
    failed = intent_object(payment, status="requires_payment_method", last_payment_error=DECLINED)
    assert post_event(api_client, event_body(FAILED, failed)).json() == {"status": "payment failed"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.failure_reason == "Your card was declined."

    response = post_event(api_client, event_body(SUCCEEDED, intent_object(payment)))

    assert response.json() == {"status": "order paid"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.failure_reason == ""
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.PAID


@pytest.mark.django_db
def test_failure_after_success_leaves_the_order_paid(payment, api_client):
    post_event(api_client, event_body(SUCCEEDED, intent_object(payment)))

    failed = intent_object(payment, status="requires_payment_method", last_payment_error=DECLINED)
    response = post_event(api_client, event_body(FAILED, failed))

    assert response.status_code == 200 and response.json()["status"].startswith("ignored")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.failure_reason == ""
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.PAID
    assert _paid_transitions(payment.order) == 1


@pytest.mark.django_db
def test_a_declined_payment_leaves_the_order_pending(payment, api_client, mailoutbox):
    failed = intent_object(payment, status="requires_payment_method", last_payment_error=DECLINED)

    response = post_event(api_client, event_body(FAILED, failed))

    assert response.status_code == 200
    _assert_nothing_changed(payment, mailoutbox, status=PaymentStatus.FAILED)
    assert payment.failure_reason == "Your card was declined."


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"amount": 1249}, "amount 12.49 instead of 12.50"),
        ({"currency": "eur"}, "currency 'EUR' instead of USD"),
        ({"metadata": {"order_id": "999999"}}, "metadata order '999999'"),
        ({"metadata": {}}, "metadata order ''"),
    ],
)
@pytest.mark.django_db
def test_a_success_that_does_not_match_is_recorded_not_paid(
    payment, api_client, mailoutbox, django_capture_on_commit_callbacks, caplog, changes, reason
):
    body = event_body(SUCCEEDED, intent_object(payment, **changes))

    with caplog.at_level(logging.ERROR, logger="payments"), django_capture_on_commit_callbacks(execute=True):
        response = post_event(api_client, body)

    assert response.status_code == 200 and response.json()["status"].startswith("needs review")
    _assert_nothing_changed(payment, mailoutbox, status=PaymentStatus.NEEDS_REVIEW)
    assert reason in payment.failure_reason
    assert f"payment {payment.payment_intent_id} succeeded with" in caplog.text


def _stale(body):
    return sign(body, timestamp=int(time.time()) - 301)


@pytest.mark.parametrize(
    ("signature", "body_change"),
    [
        pytest.param(None, None, id="missing header"),
        pytest.param("", None, id="empty header"),
        pytest.param(_stale, None, id="stale timestamp"),
        pytest.param(lambda body: sign(body, secret="whsec_wrong"), None, id="wrong secret"),
        pytest.param(lambda body: "t=abc,v1=def", None, id="garbage header"),
        pytest.param(lambda body: sign(body).replace("v1=", "v0="), None, id="wrong scheme"),
        pytest.param(lambda body: sign(body) + "é", None, id="non-ascii signature"),
        pytest.param(sign, lambda body: body.replace(b"1250", b"1"), id="body changed after signing"),
        pytest.param("sign-after", lambda body: body[:-3], id="malformed json"),
        pytest.param("sign-after", lambda body: b"\xff\xfe" + body, id="not utf-8"),
    ],
)
@pytest.mark.django_db
def test_an_unverifiable_call_is_refused_and_changes_nothing(
    payment, api_client, mailoutbox, signature, body_change
):
    body = event_body(SUCCEEDED, intent_object(payment))
    header = signature(body) if callable(signature) else signature
    if body_change:
        body = body_change(body)
    if header == "sign-after":
        header = sign(body)

    response = post_event(api_client, body, header)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_webhook"
    _assert_nothing_changed(payment, mailoutbox)
    assert not ProcessedEvent.objects.exists()


@pytest.mark.django_db
def test_an_unknown_event_type_is_acknowledged_and_ignored(payment, api_client, mailoutbox):
    body = event_body("customer.created", {"id": "cus_1", "object": "customer"})

    response = post_event(api_client, body, path="/api/payments/webhook")

    assert response.status_code == 200 and response.json() == {"status": "ignored"}
    _assert_nothing_changed(payment, mailoutbox)
    assert not ProcessedEvent.objects.exists()


@pytest.mark.django_db
def test_a_success_for_an_intent_that_is_not_ours_changes_nothing(payment, api_client, mailoutbox, caplog):
    body = event_body(SUCCEEDED, intent_object(payment, id="pi_someone_else"))

    response = post_event(api_client, body)

    assert response.status_code == 200 and response.json() == {"status": "unknown payment intent"}
    _assert_nothing_changed(payment, mailoutbox)
    assert "pi_someone_else" in caplog.text


@pytest.mark.django_db
def test_only_post_is_allowed(api_client):
    assert api_client.get("/api/payments/webhook/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_database_error_is_a_5xx_so_stripe_retries(user, mailoutbox):
    payment = PaymentFactory(order=place_order(user))
    mailoutbox.clear()  # the order confirmation
    body = event_body(SUCCEEDED, intent_object(payment))
    table = ProcessedEvent._meta.db_table
    client = APIClient(raise_request_exception=False)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        response = post_event(client, body)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")

    assert response.status_code == 500
    _assert_nothing_changed(payment, mailoutbox)
    assert not ProcessedEvent.objects.exists()
    # Stripe's redelivery, once the database is back, is applied.
    assert post_event(client, body).json() == {"status": "order paid"}


@pytest.mark.stripe
@pytest.mark.django_db
def test_a_success_for_a_cancelled_order_is_refunded(
    user, user_client, api_client, stripe_api, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    order = place_order(user)
    intent_id = user_client.post(f"/api/orders/{order.pk}/payment/").json()["payment_intent_id"]
    order_status_set(order_id=order.pk, to_status=OrderStatus.CANCELLED, actor=user)
    stripe_api.pay(intent_id)  # the customer's card went through just as the order was cancelled
    body = event_body(SUCCEEDED, stripe_api.intent(intent_id))

    with (
        caplog.at_level(logging.WARNING, logger="payments"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_event(api_client, body)

    assert response.status_code == 200 and response.json() == {"status": "refund: order is cancelled"}
    payment = Payment.objects.get(payment_intent_id=intent_id)
    refunds = stripe_api.refunds(intent_id)
    refund = Refund.objects.get()
    assert [refund["id"] for refund in refunds] == [refund.stripe_refund_id]
    assert refunds[0]["amount"] == 1250
    assert payment.status == PaymentStatus.SUCCEEDED
    assert (refund.payment, refund.surplus, refund.status) == (payment, True, RefundStatus.SUCCEEDED)
    assert Order.objects.get(pk=order.pk).refunded_total == 0  # the order was never paid by it
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert f"order {order.pk} is cancelled: payment {intent_id} succeeded too late, refunding" in caplog.text
    assert mailoutbox == []


@pytest.mark.stripe
@pytest.mark.django_db
def test_a_success_for_an_order_paid_by_another_intent_is_refunded(
    user, user_client, api_client, stripe_api, mailoutbox, django_capture_on_commit_callbacks
):
    order = place_order(user)
    # An earlier attempt whose card was declined; Stripe lets the customer retry that same intent later.
    # localstripe cannot confirm a declined intent twice, so that intent is made fresh here.
    earlier = stripe_client.intent_create(
        amount=order.total, currency=order.currency, order_id=order.pk, idempotency_key="test-earlier"
    )
    PaymentFactory(order=order, attempt=1, payment_intent_id=earlier.id, status=PaymentStatus.FAILED)
    current_id = user_client.post(f"/api/orders/{order.pk}/payment/").json()["payment_intent_id"]
    stripe_api.pay(current_id)
    with django_capture_on_commit_callbacks(execute=True):
        paid = post_event(api_client, event_body(SUCCEEDED, stripe_api.intent(current_id)))
    assert paid.json() == {"status": "order paid"}
    assert stripe_api.pay(earlier.id)["status"] == "succeeded"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(api_client, event_body(SUCCEEDED, stripe_api.intent(earlier.id)))

    assert response.json() == {"status": "refund: order is paid"}
    assert len(stripe_api.refunds(earlier.id)) == 1
    assert stripe_api.refunds(current_id) == []
    assert Refund.objects.get().surplus and Order.objects.get(pk=order.pk).refunded_total == 0
    assert _paid_transitions(order) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert len(mailoutbox) == 1  # the payment received email, once

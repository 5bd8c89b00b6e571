"""Refunds through a real localstripe: cancelling a paid order pays the money back exactly once, as a
refund row of its own (the same machinery as partial refunds)."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.factories import StaffFactory
from catalog.models import Book
from orders.models import OrderStatus
from payments.models import Payment, Refund, RefundStatus
from payments.services import REFUND_STALE_AFTER, refund_attempt
from payments.tests.helpers import event_body

from .helpers import place_order, post_event

pytestmark = [pytest.mark.stripe, pytest.mark.django_db]


@pytest.fixture
def paid_order(user, user_client, api_client, stripe_api, django_capture_on_commit_callbacks):
    """An order paid the way a customer pays: intent from the shop, card at Stripe, signed webhook."""
    order = place_order(user, price="12.50", stock=5)
    intent_id = user_client.post(f"/api/orders/{order.pk}/payment/").json()["payment_intent_id"]
    assert stripe_api.pay(intent_id)["status"] == "succeeded"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(
            api_client, event_body("payment_intent.succeeded", stripe_api.intent(intent_id))
        )
    assert response.json() == {"status": "order paid"}
    order.refresh_from_db()
    return order


def _book(order) -> Book:
    return Book.objects.get(pk=order.items.get().book_id)


def _refund_ids(stripe_api, order) -> list[str]:
    return [refund["id"] for refund in stripe_api.refunds(Payment.objects.get(order=order).payment_intent_id)]


def _refund(order) -> Refund:
    return Refund.objects.get(order=order)


def test_cancelling_a_paid_order_refunds_it_once(
    paid_order, user_client, stripe_api, django_capture_on_commit_callbacks
):
    assert _book(paid_order).stock == 4

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/api/orders/{paid_order.pk}/cancel/")

    assert response.status_code == 200 and response.json()["status"] == OrderStatus.CANCELLED
    payment = Payment.objects.get(order=paid_order)
    refund = _refund(paid_order)
    refunds = stripe_api.refunds(payment.payment_intent_id)
    assert [refund["id"] for refund in refunds] == [refund.stripe_refund_id]
    assert refunds[0]["amount"] == 1250 and refunds[0]["status"] == "succeeded"
    assert (refund.status, refund.amount, refund.payment) == (
        RefundStatus.SUCCEEDED,
        paid_order.total,
        payment,
    )
    assert _book(paid_order).stock == 5

    # The customer clicks again, a worker repeats the attempt, cron runs the retry: no second refund.
    with django_capture_on_commit_callbacks(execute=True):
        again = user_client.post(f"/api/orders/{paid_order.pk}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert refund_attempt(refund_id=refund.pk) is False
    call_command("retry_refunds")
    assert _refund_ids(stripe_api, paid_order) == [refund.stripe_refund_id]
    assert _book(paid_order).stock == 5


def test_staff_cancel_through_the_admin_api_refunds(
    paid_order, staff_client, stripe_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.patch(
            f"/api/admin/orders/{paid_order.pk}/", {"status": "cancelled"}, format="json"
        )

    assert response.status_code == 200, response.content
    assert len(_refund_ids(stripe_api, paid_order)) == 1
    assert _refund(paid_order).status == RefundStatus.SUCCEEDED


def test_staff_cancel_through_the_django_admin_refunds(
    paid_order, client, stripe_api, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory(is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/orders/order/", {"action": "cancel_orders", "_selected_action": [paid_order.pk]}
        )

    assert response.status_code == 302
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.CANCELLED
    assert len(_refund_ids(stripe_api, paid_order)) == 1


def test_a_failed_refund_call_is_left_for_retry_refunds(
    paid_order, user_client, stripe_api, settings, django_capture_on_commit_callbacks, caplog
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # Stripe unreachable while the customer cancels

    with caplog.at_level(logging.ERROR, logger="payments"), django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/api/orders/{paid_order.pk}/cancel/")

    assert response.status_code == 200 and response.json()["status"] == OrderStatus.CANCELLED
    assert _book(paid_order).stock == 5
    refund = _refund(paid_order)
    assert refund.status == RefundStatus.REQUIRED and refund.stripe_refund_id is None
    assert f"order {paid_order.pk}: refund {refund.pk} failed at Stripe" in caplog.text
    settings.STRIPE_API_BASE = stripe_api.url
    assert _refund_ids(stripe_api, paid_order) == []

    call_command("retry_refunds")
    call_command("retry_refunds")

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert _refund_ids(stripe_api, paid_order) == [refund.stripe_refund_id]


def test_only_an_interrupted_refund_is_asked_again(
    paid_order, user_client, stripe_api, settings, django_capture_on_commit_callbacks
):
    """`requesting` means a worker is asking Stripe; only after REFUND_STALE_AFTER is it presumed dead."""
    with django_capture_on_commit_callbacks(execute=False):  # the refund is due, Stripe not yet asked
        user_client.post(f"/api/orders/{paid_order.pk}/cancel/")
    refund = _refund(paid_order)
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.REQUESTING, attempted_at=timezone.now())

    call_command("retry_refunds")
    assert _refund_ids(stripe_api, paid_order) == []

    Refund.objects.filter(pk=refund.pk).update(
        attempted_at=timezone.now() - REFUND_STALE_AFTER - timedelta(seconds=1)
    )
    call_command("retry_refunds")

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert _refund_ids(stripe_api, paid_order) == [refund.stripe_refund_id]


def test_cancelling_a_pending_order_refunds_nothing(
    user, user_client, stripe_api, django_capture_on_commit_callbacks
):
    order = place_order(user)
    intent_id = user_client.post(f"/api/orders/{order.pk}/payment/").json()["payment_intent_id"]

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/api/orders/{order.pk}/cancel/")

    assert response.status_code == 200
    assert not Refund.objects.filter(order=order).exists()
    assert stripe_api.refunds(intent_id) == []

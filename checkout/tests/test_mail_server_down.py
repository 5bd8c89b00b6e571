"""With the mail server down, checkout, the Stripe webhook and password reset still answer 2xx at once
(their mail is queued after commit, sent in the background, and kept in the outbox); once the server is
back, the due sweep sends every one of those emails exactly once, with links built from SITE_URL.

Runs the shop's embedded default (no broker: background threads of this process) against a real SMTP
server (tests_support/smtp.py), on committed transactions as in production.
"""

import re
import time
from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from cart.factories import CartItemFactory
from catalog.factories import BookFactory
from checkout.factories import checkout_body
from conftest import client_for
from core.background import background_threads
from notifications.delivery import notifications_deliver_due
from notifications.models import EmailNotification, NotificationStatus
from orders.models import Order, OrderStatus
from payments.factories import PaymentFactory
from payments.tests.helpers import event_body, intent_object
from tests_support.smtp import text_and_html

from .helpers import post_event

SITE_URL = "https://shop.example.com:8443"
SUCCEEDED = "payment_intent.succeeded"
AT_ONCE_SECONDS = 2


@pytest.fixture
def shop(settings, smtp_server):
    settings.BACKGROUND_TASKS = "embedded"
    settings.SITE_URL = SITE_URL
    smtp_server.stop()
    return smtp_server


def _timed(call):
    """The response and how long it took; then waits for the background delivery it queued (the
    in-memory SQLite test database takes one writer at a time, unlike a server or a WAL file)."""
    started = time.monotonic()
    response = call()
    took = time.monotonic() - started
    assert background_threads.wait(30)
    return response, took


@pytest.mark.django_db(transaction=True)
def test_checkout_webhook_and_password_reset_answer_at_once_and_mail_once_the_server_is_back(
    shop, api_client
):
    customer = UserFactory(email="ada@example.com")
    CartItemFactory(cart__user=customer, book=BookFactory(price=Decimal("12.50"), stock=3), quantity=2)

    placed, placing_took = _timed(
        lambda: client_for(customer).post("/api/orders/", checkout_body(), format="json")
    )
    assert placed.status_code == 201, placed.content
    order = Order.objects.get()
    payment = PaymentFactory(order=order)
    paid, paying_took = _timed(lambda: post_event(api_client, event_body(SUCCEEDED, intent_object(payment))))
    reset, reset_took = _timed(
        lambda: api_client.post("/api/auth/password-reset/", {"email": customer.email}, format="json")
    )

    assert (paid.status_code, reset.status_code) == (200, 204)
    assert max(placing_took, paying_took, reset_took) < AT_ONCE_SECONDS
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    # Each mail was tried once, in the background, and is waiting for the server to come back.
    rows = list(EmailNotification.objects.order_by("pk"))
    assert [row.key for row in rows][:2] == [f"order:{order.pk}:placed", f"order:{order.pk}:paid"]
    assert rows[2].key.startswith(f"user:{customer.pk}:password-reset:")
    assert {(row.status, row.attempts) for row in rows} == {(NotificationStatus.PENDING, 1)}
    assert all("ConnectionRefusedError" in row.last_error for row in rows)
    assert shop.messages == []

    shop.start()
    due_at = max(row.next_attempt_at for row in rows)
    assert notifications_deliver_due(now=due_at) == (3, 3)
    assert notifications_deliver_due(now=due_at) == (0, 0)

    assert sorted(message["Subject"] for message in shop.messages) == sorted(row.subject for row in rows)
    assert f"Payment received for your order #{order.pk}" in {row.subject for row in rows}
    assert {message["To"] for message in shop.messages} == {"ada@example.com"}
    for message in shop.messages:  # whatever links a mail has are absolute, on SITE_URL
        text, html = text_and_html(message)
        assert all(
            link.startswith(f"{SITE_URL}/") for link in re.findall(r"https?://[^\s\"'<>]+", text + html)
        )
    [reset_mail] = [message for message in shop.messages if message["Subject"] == rows[2].subject]
    text, html = text_and_html(reset_mail)
    link = re.search(re.escape(SITE_URL) + r"/accounts/password-reset/confirm/[^/\s]+/[^/\s]+/", text).group()
    assert f'href="{link}"' in html

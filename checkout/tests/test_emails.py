"""Every order event's email, as the customer reads it: the shop's one layout (notifications/email/base.*),
HTML and text parts, absolute links to SITE_URL only, amounts and dates as the order page shows them,
at most one email per event, and preferences that gate invitations but never transactional mail.

(The payment-failed email through a real declined card: test_end_to_end.py; the restock alert and the
staff digest: catalog/tests; a real SMTP server receiving the layout: the last test here.)"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.services import email_verification_send, password_reset_mail
from catalog.factories import BookFactory
from catalog.services import preferences_update
from checkout.factories import checkout_body, order_placed
from checkout.services import order_cancel, order_status_set, orders_expire_unpaid
from core.errors import InvalidTransition
from notifications.models import EmailNotification
from orders.models import OrderStatus
from orders.returns import return_request_create, return_request_reject
from orders.services import order_deliver, order_ship
from payments.factories import PaymentFactory
from payments.tests.helpers import event_body, intent_object
from tests_support.smtp import text_and_html

from .helpers import post_event

pytestmark = pytest.mark.django_db

SITE = "https://books.example.com:8443"
LINK = re.compile(r"https?://[^\s\"<>]+")
DECLINED = {"code": "card_declined", "message": "Your card was declined."}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def order(user):
    """A pending order: 2 × “Pride & Prejudice” at $12.50, free shipping, no tax: $25.00."""
    book = BookFactory(title="Pride & Prejudice", price=Decimal("12.50"), stock=5)
    placed = order_placed(user=user, lines=[(book, 2)])
    assert placed.total == Decimal("25.00")
    return placed


def _on_site(path: str) -> str:
    return SITE + path


def _order_url(order) -> str:
    return _on_site(reverse("checkout:detail", args=[order.pk]))


def _shown(moment) -> str:
    """A date and time as the order page prints it."""
    return dateformat.format(timezone.localtime(moment), "j F Y, H:i T")


def _parts(message) -> tuple[str, str]:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def assert_layout(text: str, html: str, *, elsewhere: tuple[str, ...] = ()) -> None:
    """The shop's email layout in both parts, inline styles only, and every link absolute on SITE_URL
    (but for `elsewhere`, such as a carrier's tracking page)."""
    assert html.startswith("<!doctype html>")
    assert "background: #2f4a3a" in html and "❦</span> Bookstore</a>" in html  # the shop's header
    assert f'href="{_on_site(reverse("catalog:preferences"))}"' in html  # the footer's links
    assert f'href="{_on_site(reverse("catalog:home"))}"' in html
    for external in ("<style", "<link", "<script", " src=", "url("):
        assert external not in html
    assert "\n-- \n" in text and "Bookstore — an independent online bookshop" in text
    assert f"Email preferences: {_on_site(reverse('catalog:preferences'))}" in text
    for part in (text, html):
        links = [link for link in LINK.findall(part) if link not in elsewhere]
        assert links and all(link.startswith(SITE + "/") for link in links), links


def _only_message(mailoutbox):
    [message] = mailoutbox
    return message, *_parts(message)


def test_order_confirmation_lists_the_books_and_links_to_pay(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    book = BookFactory(title="Pride & Prejudice", price=Decimal("12.50"), stock=5)

    with django_capture_on_commit_callbacks(execute=True):
        order = order_placed(user=user, lines=[(book, 2)])

    message, text, html = _only_message(mailoutbox)
    assert message.to == [user.email] and message.subject == f"Your order #{order.pk} at the Bookstore"
    assert_layout(text, html)
    assert "2 × Pride & Prejudice at $12.50 = $25.00" in text and "Total: $25.00" in text
    assert "Pride &amp; Prejudice" in html and "$25.00" in html and "25.00 USD" not in text + html
    assert f"Please pay by {_shown(order.pay_by)}." in text
    assert f"Pay for your order: {_order_url(order)}" in text
    assert f'href="{_order_url(order)}"' in html and "Pay for your order" in html
    assert f"Hello {user.first_name}," in text


def test_a_failed_payment_mails_a_link_to_pay_again_once(
    order, api_client, mailoutbox, django_capture_on_commit_callbacks
):
    payment = PaymentFactory(order=order)
    failed = intent_object(payment, status="requires_payment_method", last_payment_error=DECLINED)

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [
            post_event(api_client, event_body("payment_intent.payment_failed", failed)).json()["status"]
            for _ in range(2)  # Stripe reporting the same decline twice, as two events
        ]

    assert outcomes == ["payment failed", "payment failed"]
    message, text, html = _only_message(mailoutbox)
    assert message.subject == f"Your payment for order #{order.pk} did not go through"
    assert_layout(text, html)
    assert "payment of $25.00" in text and "did not go through: Your card was declined." in text
    assert f"held for you until {_shown(order.pay_by)}" in text and _order_url(order) in text
    assert "Try paying again" in html and f'href="{_order_url(order)}"' in html
    assert EmailNotification.objects.filter(key=f"payment:{payment.pk}:failed").count() == 1


def test_a_failure_reported_once_the_order_cannot_be_paid_mails_nothing(
    order, api_client, mailoutbox, django_capture_on_commit_callbacks
):
    payment = PaymentFactory(order=order)
    order_cancel(order_id=order.pk, actor=order.user, reason="Changed my mind.")
    mailoutbox.clear()
    failed = intent_object(payment, status="requires_payment_method", last_payment_error=DECLINED)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(api_client, event_body("payment_intent.payment_failed", failed))

    assert response.status_code == 200 and response.json() == {"status": "payment failed"}
    assert mailoutbox == []
    assert not EmailNotification.objects.filter(template="payments/email/payment_failed").exists()


def test_payment_received_shows_the_amount_in_the_layout(
    order, api_client, mailoutbox, django_capture_on_commit_callbacks
):
    payment = PaymentFactory(order=order)

    with django_capture_on_commit_callbacks(execute=True):
        post_event(api_client, event_body("payment_intent.succeeded", intent_object(payment)))

    _message, text, html = _only_message(mailoutbox)
    assert_layout(text, html)
    assert "payment of $25.00 for order" in text and "<strong>$25.00</strong>" in html
    assert f"Your order: {_order_url(order)}" in text


def _paid(order):
    return order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)


def test_shipped_and_delivered_each_mail_once(order, mailoutbox, django_capture_on_commit_callbacks):
    _paid(order)
    mailoutbox.clear()
    tracking = "https://www.ups.com/track?tracknum=1Z999AA10123456784"

    with django_capture_on_commit_callbacks(execute=True):
        order_ship(order_id=order.pk, carrier="ups", tracking_number="1Z999AA10123456784")
        with pytest.raises(InvalidTransition):
            order_ship(order_id=order.pk, carrier="ups", tracking_number="1Z999AA10123456784")
        order_deliver(order_id=order.pk)
        with pytest.raises(InvalidTransition):
            order_deliver(order_id=order.pk)

    shipped, delivered = mailoutbox
    text, html = _parts(shipped)
    assert_layout(text, html, elsewhere=(tracking,))
    assert f"Follow your parcel: {tracking}" in text and f'href="{tracking}"' in html
    text, html = _parts(delivered)
    assert_layout(text, html)
    book_url = _on_site(reverse("catalog:book_detail", args=[order.items.get().book_id]))
    assert f"Pride & Prejudice: {book_url}" in text and f'href="{book_url}"' in html  # the review invitation
    assert "Review “Pride &amp; Prejudice”" in html
    assert sorted(EmailNotification.objects.values_list("key", flat=True)) == sorted(
        [f"order:{order.pk}:placed", f"order:{order.pk}:shipped", f"order:{order.pk}:delivered"]
    )


def test_preferences_gate_the_review_invitation_but_never_the_transactional_mail(
    user, order, api_client, mailoutbox, django_capture_on_commit_callbacks
):
    preferences_update(user=user, restock_alerts=False, review_invites=False, marketing_emails=False)
    payment = PaymentFactory(order=order)
    failed = intent_object(payment, status="requires_payment_method", last_payment_error=DECLINED)
    retry = PaymentFactory(order=order)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        post_event(api_client, event_body("payment_intent.payment_failed", failed))
        post_event(api_client, event_body("payment_intent.succeeded", intent_object(retry)))
        order_ship(order_id=order.pk)
        order_deliver(order_id=order.pk)

    assert [message.subject for message in mailoutbox] == [
        f"Your payment for order #{order.pk} did not go through",
        f"Payment received for your order #{order.pk}",
        f"Your order #{order.pk} is on its way",
        f"Your order #{order.pk} has been delivered",
    ]
    text, html = _parts(mailoutbox[-1])
    assert_layout(text, html)
    assert "has been delivered" in text and f"your order's page:\n{_order_url(order)}" in text
    book_url = _on_site(reverse("catalog:book_detail", args=[order.items.get().book_id]))
    for part in (text, html):
        assert "Tell other readers" not in part and book_url not in part and "review" not in part.lower()


def test_cancelled_mails_the_reason_once(order, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=order.pk, by_staff=True, reason="Out of print at the publisher.")
        with pytest.raises(InvalidTransition):
            order_cancel(order_id=order.pk, by_staff=True, reason="Again.")

    _message, text, html = _only_message(mailoutbox)
    assert_layout(text, html)
    assert "Reason: Out of print at the publisher." in text and "Out of print at the publisher." in html
    assert "refunding" not in text  # nothing was paid


def test_an_expired_order_is_mailed_once_with_the_reason(
    order, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    later = order.pay_by + timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert orders_expire_unpaid(now=later) == 1
        assert orders_expire_unpaid(now=later) == 0

    message, text, html = _only_message(mailoutbox)
    assert message.subject == f"Your order #{order.pk} has been cancelled"
    assert_layout(text, html)
    assert "Reason: Payment window expired." in text


def test_return_request_and_its_answer_use_the_layout(order, mailoutbox, django_capture_on_commit_callbacks):
    _paid(order)
    order_ship(order_id=order.pk)
    order_deliver(order_id=order.pk)
    mailoutbox.clear()
    book_id = order.items.get().book_id

    with django_capture_on_commit_callbacks(execute=True):
        request = return_request_create(
            order_id=order.pk, lines=[{"book_id": book_id, "quantity": 1}], reason="A dented cover."
        )
        return_request_reject(return_id=request.pk, reason="Returns need the book unread.")

    received, answered = mailoutbox
    for message in (received, answered):
        assert_layout(*_parts(message))
    assert "1 × Pride & Prejudice" in received.body and "Your reason: A dented cover." in received.body
    assert "declined" in answered.subject and "Reason: Returns need the book unread." in answered.body


def test_the_mail_leaves_through_a_real_smtp_server_as_one_multipart_message(
    user_client, user, smtp_server, django_capture_on_commit_callbacks
):
    book = BookFactory(title="Middlemarch", price=Decimal("9.99"), stock=2)
    user_client.post("/api/cart/items/", {"book_id": book.pk, "quantity": 1}, format="json")

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 201, response.content
    [message] = smtp_server.messages
    assert message["To"] == user.email and message.get_content_type() == "multipart/alternative"
    text, html = text_and_html(message)
    text = text.replace("\r\n", "\n")  # SMTP's line ends
    assert_layout(text, html)
    assert "1 × Middlemarch at $9.99 = $9.99" in text and "$9.99" in html
    assert f"{SITE}/orders/{response.json()['id']}/" in text
    assert len(mail.outbox) == 0  # it went over SMTP, not to the test outbox


@pytest.mark.stripe
def test_cancelling_a_paid_order_mails_the_reason_and_the_refund_in_one_email(
    order, user_client, api_client, stripe_api, mailoutbox, django_capture_on_commit_callbacks
):
    intent_id = user_client.post(f"/api/orders/{order.pk}/payment/").json()["payment_intent_id"]
    assert stripe_api.pay(intent_id)["status"] == "succeeded"
    with django_capture_on_commit_callbacks(execute=True):
        post_event(api_client, event_body("payment_intent.succeeded", stripe_api.intent(intent_id)))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=order.pk, by_staff=True, reason="Damaged in our warehouse.")

    message, text, html = _only_message(mailoutbox)
    assert message.subject == f"Your order #{order.pk} has been cancelled"
    assert_layout(text, html)
    assert "Reason: Damaged in our warehouse." in text
    assert "We are refunding $25.00 to your card" in text and "<strong>$25.00</strong>" in html
    assert [refund["amount"] for refund in stripe_api.refunds(intent_id)] == [2500]
    assert not EmailNotification.objects.filter(template="orders/email/refund_issued").exists()


def test_account_mail_uses_the_layout_whatever_the_preferences(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    preferences_update(user=user, restock_alerts=False, review_invites=False, marketing_emails=False)

    with django_capture_on_commit_callbacks(execute=True):
        password_reset_mail(email=user.email)
        email_verification_send(user=user)

    reset, verify = mailoutbox
    for message, page in ((reset, "/accounts/password-reset/confirm/"), (verify, "/accounts/verify-email/")):
        text, html = _parts(message)
        assert_layout(text, html)
        [link] = [link for link in LINK.findall(text) if link.startswith(SITE + page)]
        assert f'href="{link}"' in html

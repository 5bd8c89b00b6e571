"""The order page's Pay button in a real Chromium: Stripe.js from localstripe in the page, the card typed
into its card Element, and localstripe's signed webhook turning the order Paid."""

from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.factories import UserFactory
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import order_checkout
from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus
from tests_browser import screenshot
from tests_browser.shopper import DECLINED, VISA, click_pay, fill_card

from .helpers import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.stripe]


@pytest.fixture
def order(db):
    user = UserFactory()
    book = BookFactory(title="Middlemarch", price=Decimal("12.50"), stock=3)
    cart_add_book(user=user, book_id=book.pk, quantity=2)
    return order_checkout(user=user)


def open_order_page(page, browser_login, order):
    """The shopper's order page, once the Stripe fixtures have set where Stripe.js comes from."""
    browser_login(order.user)
    page.goto(f"/orders/{order.pk}/")
    expect(page.locator("#order-status")).to_have_text("Pending payment")
    mail.outbox.clear()  # the order confirmation


def pay_button(page):
    return page.get_by_role("button", name="Pay $25.00")


def test_paying_by_card_turns_the_order_paid(page, browser_login, order, stripe_live, mailoutbox):
    open_order_page(page, browser_login, order)
    fill_card(page, VISA)
    screenshot(page, "pay")

    click_pay(page)

    expect(page.get_by_role("status").filter(has_text="Payment received — confirming…")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Paid")  # the webhook landed; the page reloaded
    expect(page.get_by_role("heading", name="Payment")).to_have_count(0)
    expect(pay_button(page)).to_have_count(0)
    screenshot(page, "paid")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount) == (PaymentStatus.SUCCEEDED, Decimal("25.00"))
    assert stripe_live.intent(payment.payment_intent_id)["status"] == "succeeded"
    assert [m.subject for m in mail.outbox] == [f"Payment received for your order #{order.pk}"]


def test_until_stripe_confirms_the_page_says_so_and_the_order_is_not_paid(
    page, browser_login, order, stripe_api, mailoutbox
):
    open_order_page(page, browser_login, order)  # stripe_api: localstripe sends no webhook
    fill_card(page, VISA)

    click_pay(page)

    expect(page.get_by_role("status")).to_have_text("Payment received — confirming…")
    expect(page.locator("#pay-button")).to_be_hidden()
    expect(page.get_by_role("group", name="Card details")).to_be_hidden()
    expect(page.locator("#order-status")).to_have_text("Pending payment")
    payment = Payment.objects.get(order=order)
    assert stripe_api.intent(payment.payment_intent_id)["status"] == "succeeded"
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT  # the shop waits for Stripe's word
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert mail.outbox == []


def test_a_declined_card_says_so_and_the_order_stays_payable(
    page, browser_login, order, stripe_live, mailoutbox
):
    open_order_page(page, browser_login, order)
    fill_card(page, DECLINED)

    click_pay(page)

    expect(page.get_by_role("alert").filter(has_text="Your card was declined.")).to_be_visible()
    expect(pay_button(page)).to_be_enabled()
    expect(page.locator("#order-status")).to_have_text("Pending payment")
    declined = wait_until(
        lambda: Payment.objects.filter(order=order, status=PaymentStatus.FAILED).first(),
        what="the declined attempt to be recorded from its webhook",
    )
    assert declined.failure_reason == "Your card was declined."
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).exists()
    assert Book.objects.get(title="Middlemarch").stock == 1  # still held for the shopper
    wait_until(lambda: mail.outbox, what="the payment-failed email")
    assert [m.subject for m in mail.outbox] == [f"Your payment for order #{order.pk} did not go through"]

    fill_card(page, VISA)  # payable still: another card, a new attempt
    click_pay(page)

    expect(page.locator("#order-status")).to_have_text("Paid")
    assert sorted(Payment.objects.filter(order=order).values_list("attempt", "status")) == [
        (1, PaymentStatus.FAILED),
        (2, PaymentStatus.SUCCEEDED),
    ]
    assert [intent["status"] for intent in stripe_live.intents_for_order(order.pk)].count("succeeded") == 1


def test_without_stripe_js_the_pay_button_stays_off_and_says_why(page, browser_login, order, stripe_down):
    open_order_page(page, browser_login, order)  # Stripe.js is to come from a port where nothing answers

    expect(page.get_by_role("alert")).to_have_text(
        "Card payments are unavailable right now. Please reload the page in a moment."
    )
    expect(pay_button(page)).to_be_disabled()
    assert not Payment.objects.filter(order=order).exists()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING

"""Cancelling an order asks first, in a real Chromium at desktop and phone sizes and with JavaScript
off: the order page's button opens a confirmation page saying what happens; only its button cancels."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import order_checkout
from checkout.services import order_status_set
from orders.models import Order, OrderStatus
from tests_browser import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def order_and_book():
    user = UserFactory()
    book = BookFactory(title="Dune", stock=3)
    cart_add_book(user=user, book_id=book.pk, quantity=2)
    return order_checkout(user=user), book


def test_cancel_asks_for_confirmation_and_keeping_the_order_changes_nothing(
    page, screen, browser_login, order_and_book
):
    order, book = order_and_book
    browser_login(order.user)
    page.goto(f"/orders/{order.pk}/")

    page.get_by_role("button", name="Cancel order").click()

    expect(page.get_by_role("heading", name=f"Cancel order #{order.pk}?", level=1)).to_be_visible()
    expect(page.locator(".cancel-confirm")).to_contain_text("go back on the shelf")
    expect(page.locator(".cancel-confirm")).to_contain_text("nothing has been charged")
    screenshot(page, f"cancel-confirm-{screen}")
    page.get_by_role("link", name="No, keep my order").click()

    expect(page.locator("#order-status")).to_have_text("Pending payment")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert Book.objects.get(pk=book.pk).stock == 1

    page.get_by_role("button", name="Cancel order").click()
    page.get_by_role("button", name=f"Yes, cancel order #{order.pk}").click()

    expect(page.locator(".messages")).to_contain_text(f"Order #{order.pk} has been cancelled.")
    expect(page.locator("#order-status")).to_have_text("Cancelled")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    assert Book.objects.get(pk=book.pk).stock == 3
    screenshot(page, f"cancelled-{screen}")


def test_a_paid_order_says_it_will_be_refunded(page, browser_login, order_and_book):
    order, _ = order_and_book
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)
    browser_login(order.user)
    page.goto(f"/orders/{order.pk}/")

    page.get_by_role("button", name="Cancel order").click()

    expect(page.locator(".cancel-confirm")).to_contain_text("is refunded in full")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_cancel_confirmation_works_without_javascript(browser, live_server, order_and_book):
    from django.conf import settings
    from django.test import Client

    order, book = order_and_book
    client = Client()
    client.force_login(order.user)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(f"/orders/{order.pk}/")
        page.get_by_role("button", name="Cancel order").click()
        page.get_by_role("button", name=f"Yes, cancel order #{order.pk}").click()

        expect(page.locator(".messages")).to_contain_text(f"Order #{order.pk} has been cancelled.")
        assert Book.objects.get(pk=book.pk).stock == 3
    finally:
        context.close()

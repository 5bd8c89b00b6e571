"""Checkout and the order page in a real Chromium: placing an order, stock running out between adding
and paying, form validation, and the order page's live status."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import order_checkout
from checkout.services import order_status_set
from orders.models import Order, OrderStatus
from tests_browser import screenshot

pytestmark = pytest.mark.browser

ADDRESS = "Ada Reader\n1 Library Lane\nBooktown 12345"


def cart_lines(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity"))


def test_two_books_through_checkout_to_a_pending_order(page, live_server, browser_login):
    user = UserFactory()
    dune = BookFactory(title="Dune", author="Frank Herbert", price=Decimal("12.50"), stock=5)
    emma = BookFactory(title="Emma", author="Jane Austen", price=Decimal("3.35"), stock=4)
    browser_login(user)

    for book, quantity in ((dune, 1), (emma, 2)):
        page.goto(f"/books/{book.pk}/")
        page.get_by_label("Quantity").fill(str(quantity))
        page.get_by_role("button", name="Add to cart").click()
        expect(page.locator(".messages")).to_contain_text("to your cart")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cart").click()
    expect(page.locator(".cart-table tbody tr")).to_have_count(2)
    expect(page.locator("#cart-total")).to_have_text("$19.20")
    screenshot(page, "cart")

    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", name="Checkout", level=1)).to_be_visible()
    page.get_by_label("Shipping address").fill(ADDRESS)
    screenshot(page, "checkout")
    page.get_by_role("button", name="Place order").click()

    order = Order.objects.get(user=user)
    expect(page).to_have_url(f"{live_server.url}/orders/{order.pk}/")
    expect(page.get_by_role("heading", name=f"Order #{order.pk}", level=1)).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Pending payment")
    expect(page.locator(".messages")).to_contain_text(f"Your order #{order.pk} has been placed.")
    expect(page.locator(".shipping-address")).to_contain_text("1 Library Lane")
    expect(page.get_by_role("heading", name="Payment")).to_be_visible()
    screenshot(page, "order")
    assert order.status == OrderStatus.PENDING
    assert order.total == Decimal("19.20")
    assert cart_lines(user) == {}
    assert Book.objects.get(pk=dune.pk).stock == 4
    assert Book.objects.get(pk=emma.pk).stock == 2


def test_stock_taken_by_another_buyer_keeps_the_cart_and_the_address(page, browser_login):
    user = UserFactory()
    book = BookFactory(title="The Last Copies", stock=2)
    cart_add_book(user=user, book_id=book.pk, quantity=2)
    browser_login(user)
    page.goto("/checkout/")
    page.get_by_label("Shipping address").fill(ADDRESS)

    rival = UserFactory()
    cart_add_book(user=rival, book_id=book.pk, quantity=2)
    order_checkout(user=rival)
    page.get_by_role("button", name="Place order").click()

    alert = page.locator("#stock-problem")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("“The Last Copies”: you asked for 2, none left.")
    expect(page.get_by_label("Shipping address")).to_have_value(ADDRESS)
    assert cart_lines(user) == {book.pk: 2}
    assert not Order.objects.filter(user=user).exists()

    alert.get_by_role("link", name="Update your cart").click()
    expect(page.locator(".cart-table")).to_contain_text("No longer available: remove it to check out.")


def test_checkout_without_an_address_says_what_is_missing(page, browser_login):
    user = UserFactory()
    cart_add_book(user=user, book_id=BookFactory(stock=3).pk, quantity=1)
    browser_login(user)
    page.goto("/checkout/")

    page.get_by_label("Shipping address").fill("")
    page.get_by_label("Coupon code (optional)").fill("SPRING")
    page.get_by_role("button", name="Place order").click()

    address = page.get_by_label("Shipping address")
    expect(page.locator(".form-errors")).to_contain_text("Please correct the highlighted fields below.")
    expect(page.locator(".field--invalid")).to_contain_text("This field is required.")
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Coupon code (optional)")).to_have_value("SPRING")
    assert not Order.objects.exists()
    assert len(cart_lines(user)) == 1


def test_order_page_shows_paid_as_soon_as_the_payment_lands(page, browser_login):
    user = UserFactory()
    cart_add_book(user=user, book_id=BookFactory(stock=3).pk, quantity=1)
    order = order_checkout(user=user)
    browser_login(user)
    page.goto(f"/orders/{order.pk}/")
    expect(page.locator("#order-status")).to_have_text("Pending payment")

    # What the payment webhook does once Stripe confirms the payment.
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID, note="payment confirmed")

    expect(page.locator("#order-status")).to_have_text("Paid")
    expect(page.get_by_role("heading", name="Payment")).to_have_count(0)  # the page was redrawn


def test_cancel_from_the_order_page(page, browser_login):
    user = UserFactory()
    book = BookFactory(stock=3)
    cart_add_book(user=user, book_id=book.pk, quantity=2)
    order = order_checkout(user=user)
    browser_login(user)
    page.goto(f"/orders/{order.pk}/")

    page.get_by_role("button", name="Cancel order").click()

    expect(page.locator(".messages")).to_contain_text(f"Order #{order.pk} has been cancelled.")
    expect(page.locator("#order-status")).to_have_text("Cancelled")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    assert Book.objects.get(pk=book.pk).stock == 3

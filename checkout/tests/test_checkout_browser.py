"""Checkout and the order page in a real Chromium: live totals before the order is placed, placing an
order, stock running out between adding and paying, form validation, and the order page's live
status."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.factories import ADDRESS, UserFactory
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import TEST_METHOD_CODE, order_checkout
from checkout.services import order_status_set
from orders.factories import CouponFactory, ShippingMethodFactory, TaxRateFactory
from orders.models import Order, OrderStatus
from tests_browser import screenshot
from tests_browser.shopper import fill_new_address

pytestmark = pytest.mark.browser


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

    ShippingMethodFactory(code=TEST_METHOD_CODE, name="Standard")
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", name="Checkout", level=1)).to_be_visible()
    fill_new_address(page)
    expect(page.locator("#checkout-figures [data-figure=total]")).to_have_text("$19.20")
    screenshot(page, "checkout")
    page.get_by_role("button", name="Place order").click()

    order = Order.objects.get(user=user)
    expect(page).to_have_url(f"{live_server.url}/orders/{order.pk}/")
    expect(page.get_by_role("heading", name=f"Order #{order.pk}", level=1)).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Pending payment")
    expect(page.locator(".messages")).to_contain_text(f"Your order #{order.pk} has been placed.")
    expect(page.locator(".postal-address")).to_contain_text("12 Analytical Row")
    expect(page.get_by_role("heading", name="Payment")).to_be_visible()
    screenshot(page, "order")
    assert order.status == OrderStatus.PENDING
    assert order.total == Decimal("19.20")
    assert cart_lines(user) == {}
    assert Book.objects.get(pk=dune.pk).stock == 4
    assert Book.objects.get(pk=emma.pk).stock == 2


def test_the_totals_follow_the_method_and_the_coupon_before_the_order_is_placed(page, browser_login):
    user = UserFactory()
    cart_add_book(user=user, book_id=BookFactory(price=Decimal("20.00"), stock=5).pk, quantity=2)
    ShippingMethodFactory(code="ground", name="Ground", countries=["US"], base_price=Decimal("5.00"))
    ShippingMethodFactory(code="express", name="Express", countries=["US"], base_price=Decimal("15.00"))
    TaxRateFactory(country="US", region="IL", tax_class="reduced", rate=Decimal("0.1000"))
    CouponFactory(code="TEN", percent_off=Decimal("10"))
    browser_login(user)
    page.goto("/checkout/")
    total = page.locator("#checkout-figures [data-figure=total]")

    fill_new_address(page)
    expect(total).to_have_text("$49.00")  # 40.00 + 5.00 shipping + 4.00 tax
    page.get_by_label("Shipping method").select_option("express")
    expect(total).to_have_text("$59.00")
    page.get_by_label("Coupon code (optional)").fill("TEN")
    expect(page.locator("#checkout-figures [data-figure=discount]")).to_have_text("−$4.00")
    expect(total).to_have_text("$54.60")  # 36.00 + 15.00 + 3.60
    page.get_by_label("Coupon code (optional)").fill("NOPE")
    expect(page.locator("#quote-status")).to_have_text("This coupon code is not valid.")
    assert not Order.objects.exists()

    page.get_by_label("Coupon code (optional)").fill("TEN")
    expect(total).to_have_text("$54.60")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".messages")).to_contain_text("has been placed")
    assert Order.objects.get(user=user).total == Decimal("54.60")


def test_stock_taken_by_another_buyer_keeps_the_cart_and_the_address(page, browser_login):
    user = UserFactory()
    book = BookFactory(title="The Last Copies", stock=2)
    cart_add_book(user=user, book_id=book.pk, quantity=2)
    ShippingMethodFactory(code=TEST_METHOD_CODE, name="Standard")
    browser_login(user)
    page.goto("/checkout/")
    fill_new_address(page)
    expect(page.locator("#quote-status")).to_have_text("Totals updated.")

    rival = UserFactory()
    cart_add_book(user=rival, book_id=book.pk, quantity=2)
    order_checkout(user=rival)
    page.get_by_role("button", name="Place order").click()

    alert = page.locator("#stock-problem")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("“The Last Copies”: you asked for 2, none left.")
    expect(page.get_by_label("Address", exact=True)).to_have_value("12 Analytical Row")
    assert cart_lines(user) == {book.pk: 2}
    assert not Order.objects.filter(user=user).exists()

    alert.get_by_role("link", name="Update your cart").click()
    expect(page.locator(".cart-table")).to_contain_text("No longer available: remove it to check out.")


def test_checkout_without_an_address_says_what_is_missing(page, browser_login):
    user = UserFactory()
    cart_add_book(user=user, book_id=BookFactory(stock=3).pk, quantity=1)
    ShippingMethodFactory(code=TEST_METHOD_CODE, name="Standard")
    browser_login(user)
    page.goto("/checkout/")

    fill_new_address(page, {**ADDRESS, "line1": ""})
    page.get_by_label("Coupon code (optional)").fill("SPRING")
    page.get_by_role("button", name="Place order").click()

    address = page.get_by_label("Address", exact=True)
    expect(page.locator(".form-errors").first).to_contain_text("Please correct the highlighted fields below.")
    expect(page.locator(".field--invalid").first).to_contain_text("This field is required.")
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
    expect(page.get_by_role("heading", name=f"Cancel order #{order.pk}?", level=1)).to_be_visible()
    assert Book.objects.get(pk=book.pk).stock == 1  # asking changes nothing
    page.get_by_role("button", name=f"Yes, cancel order #{order.pk}").click()

    expect(page.locator(".messages")).to_contain_text(f"Order #{order.pk} has been cancelled.")
    expect(page.locator("#order-status")).to_have_text("Cancelled")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    assert Book.objects.get(pk=book.pk).stock == 3

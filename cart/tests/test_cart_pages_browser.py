"""The cart in a real Chromium: an anonymous cart joins the account at login; changing and removing lines."""

import pytest
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory

pytestmark = pytest.mark.browser


def add_from_book_page(page, book, quantity: int) -> None:
    page.goto(f"/books/{book.pk}/")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".messages")).to_contain_text(f"“{book.title}” to your cart")


def cart_rows(page):
    return page.locator(".cart-table tbody tr")


def test_anonymous_cart_is_merged_at_login_with_a_notice(page, live_server):
    user = UserFactory()
    plenty = BookFactory(title="Plenty of Copies", stock=10)
    scarce = BookFactory(title="Scarce Copies", stock=3)
    cart_add_book(user=user, book_id=scarce.pk, quantity=2)  # from an earlier visit

    add_from_book_page(page, plenty, 2)
    add_from_book_page(page, scarce, 2)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Cart, 4 books")).to_be_visible()
    nav.get_by_role("link", name="Cart").click()
    expect(cart_rows(page)).to_have_count(2)
    assert not CartItem.objects.filter(book=plenty).exists()  # only in the session so far

    nav.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/cart/")
    expect(page.locator(".message--warning")).to_have_text(
        "Only 3 of “Scarce Copies” in stock; your cart holds 3."
    )
    expect(cart_rows(page)).to_have_count(2)
    expect(page.get_by_label("Quantity of Plenty of Copies")).to_have_value("2")
    expect(page.get_by_label("Quantity of Scarce Copies")).to_have_value("3")
    expect(nav.get_by_role("link", name="Cart, 5 books")).to_be_visible()
    assert dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity")) == {
        plenty.pk: 2,
        scarce.pk: 3,
    }


def test_cart_lines_can_be_changed_and_removed(page, browser_login):
    user = UserFactory()
    keep = BookFactory(title="Keep Me", stock=5)
    drop = BookFactory(title="Drop Me", stock=5)
    cart_add_book(user=user, book_id=keep.pk, quantity=1)
    cart_add_book(user=user, book_id=drop.pk, quantity=1)
    browser_login(user)
    page.goto("/cart/")

    page.get_by_label("Quantity of Keep Me").fill("4")
    page.get_by_role("button", name="Update Keep Me").click()
    expect(page.locator(".messages")).to_contain_text("Your cart now holds 4 of “Keep Me”.")
    expect(page.get_by_label("Quantity of Keep Me")).to_have_value("4")

    page.get_by_label("Quantity of Keep Me").fill("9")
    page.get_by_role("button", name="Update Keep Me").click()
    expect(page.locator(".message--error")).to_contain_text("Only 5 of “Keep Me” in stock.")
    expect(page.get_by_label("Quantity of Keep Me")).to_have_value("4")

    page.get_by_role("button", name="Remove Drop Me").click()
    expect(cart_rows(page)).to_have_count(1)
    expect(page.locator(".cart-table")).not_to_contain_text("Drop Me")
    assert dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity")) == {keep.pk: 4}

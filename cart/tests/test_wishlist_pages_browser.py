"""The wishlist in a real Chromium: the book page's toggle, the wishlist page, adding to the cart from it."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from cart.models import CartItem
from catalog import services
from catalog.factories import BookFactory
from catalog.models import WishlistItem
from tests_browser import screenshot

pytestmark = pytest.mark.browser


def test_add_from_the_book_page_then_buy_or_remove_from_the_wishlist(page, browser_login, live_server):
    dune = BookFactory(title="Dune", author="Frank Herbert", stock=7)
    emma = BookFactory(title="Emma", author="Jane Austen", stock=0)
    reader = UserFactory()
    services.wishlist_add(user=reader, book_id=emma.pk)
    browser_login(reader)

    page.goto(f"/books/{dune.pk}/")
    page.get_by_role("button", name="Add to wishlist").click()

    expect(page.locator(".messages")).to_contain_text("Added “Dune” to your wishlist")
    expect(page.get_by_role("button", name="Remove from wishlist")).to_be_visible()
    expect(page.get_by_role("button", name="Add to wishlist")).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Wishlist").click()

    rows = page.locator(".wishlist-table tbody tr")
    expect(page.get_by_role("heading", name="Your wishlist", level=1)).to_be_visible()
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Dune")
    expect(rows.nth(0)).to_contain_text("In stock")
    expect(rows.nth(1)).to_contain_text("Emma")
    expect(rows.nth(1)).to_contain_text("Out of stock")
    expect(rows.nth(1).get_by_role("button", name="Add to cart")).to_have_count(0)
    screenshot(page, "wishlist")

    rows.nth(0).get_by_role("button", name="Add to cart").click()

    expect(page.locator(".messages")).to_contain_text("Added “Dune” to your cart")
    expect(page).to_have_url(f"{live_server.url}/wishlist/")
    assert list(CartItem.objects.filter(cart__user=reader).values_list("book__title", "quantity")) == [
        ("Dune", 1)
    ]

    page.get_by_role("button", name="Remove Dune from your wishlist").click()

    expect(page.locator(".messages")).to_contain_text("removed from your wishlist")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Emma")

    rows.first.get_by_role("link", name="Emma").click()
    page.get_by_role("button", name="Remove from wishlist").click()

    expect(page.get_by_role("button", name="Add to wishlist")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Wishlist").click()
    expect(page.get_by_role("heading", name="Your wishlist is empty")).to_be_visible()
    assert not WishlistItem.objects.exists()

"""Quick add-to-cart from the catalog's cards in a real Chromium, at desktop and phone sizes, and with
JavaScript off: one click, one copy, the shopper stays on the page they were browsing."""

import re

import pytest
from playwright.sync_api import expect

from cart.models import CartItem
from catalog.factories import BookFactory, GenreFactory
from tests_browser import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf():
    poetry = GenreFactory(name="Poetry", slug="poetry")
    return {
        "odes": BookFactory(title="Odes to Rain", genre=poetry, stock=4),
        "gone": BookFactory(title="Sold Out Sonnets", genre=poetry, stock=0),
    }


def card(page, title):
    return page.locator(".book-card").filter(has=page.get_by_role("heading", name=title))


def test_quick_add_from_a_genre_page(page, screen, live_server, browser_login, user, shelf):
    browser_login(user)
    page.goto("/?genre=poetry&ordering=title")

    expect(
        card(page, "Sold Out Sonnets").get_by_role("button", name=re.compile("Add to cart"))
    ).to_have_count(0)
    card(page, "Odes to Rain").get_by_role("button", name=re.compile(r"Add to cart\W+Odes to Rain")).click()

    expect(page.locator(".messages")).to_contain_text("Added “Odes to Rain” to your cart.")
    expect(page).to_have_url(f"{live_server.url}/?genre=poetry&ordering=title")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cart, 1 book")
    ).to_be_visible()
    screenshot(page, f"quick-add-{screen}")
    assert list(CartItem.objects.filter(cart__user=user).values_list("book__title", "quantity")) == [
        ("Odes to Rain", 1)
    ]


def test_quick_add_without_javascript(browser, live_server, shelf):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/?genre=poetry")
        card(page, "Odes to Rain").get_by_role(
            "button", name=re.compile(r"Add to cart\W+Odes to Rain")
        ).click()

        expect(page.locator(".messages")).to_contain_text("Added “Odes to Rain” to your cart.")
        expect(page).to_have_url(f"{live_server.url}/?genre=poetry")
    finally:
        context.close()

"""Continue with Google / GitHub in a real Chromium, through the local provider
(tests_support/oauth_provider.py): the shopper's anonymous cart joins the account, as at a password login."""

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import LoginSession, User
from cart.models import CartItem
from catalog.factories import BookFactory

from .test_cart_pages_browser import add_from_book_page, cart_rows

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("provider_id", "name", "existing"), [("google", "Google", True), ("github", "GitHub", False)]
)
def test_continue_with_a_provider_logs_in_and_brings_the_cart(
    page, live_server, oauth_provider, provider_id, name, existing
):
    if existing:
        UserFactory(email="ada@example.com")
    book = BookFactory(title="Signed In Socially", stock=5)
    add_from_book_page(page, book, 2)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Cart").click()
    expect(cart_rows(page)).to_have_count(1)

    nav.get_by_role("link", name="Log in").click()
    page.get_by_role("button", name=f"Continue with {name}").click()

    # To the provider (which approves at once) and back, logged in, on the page the shopper came from.
    expect(page).to_have_url(f"{live_server.url}/cart/")
    expect(nav.get_by_role("link", name="Cart, 2 books")).to_be_visible()
    expect(nav.get_by_role("link", name="Log in")).to_have_count(0)
    user = User.objects.get(email="ada@example.com")
    assert dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity")) == {book.pk: 2}
    assert SocialAccount.objects.get(user=user).provider == provider_id
    assert LoginSession.objects.filter(user=user, kind=LoginSession.Kind.WEB).count() == 1
    assert oauth_provider.authorize_requests[0]["code_challenge_method"] == "S256"


def test_a_refused_sign_in_comes_back_to_the_login_page_with_the_reason(page, live_server, oauth_provider):
    oauth_provider.deny = True
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Continue with GitHub").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".messages")).to_contain_text("Signing in with GitHub was cancelled.")
    assert not User.objects.exists()

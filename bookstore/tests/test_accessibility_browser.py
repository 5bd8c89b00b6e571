"""axe-core over every shop page, at desktop and phone sizes: no critical or serious violation.

The pages are the ones a shopper meets (catalog, genre, search with and without results, a book in and
out of stock, cart, checkout, orders, an order, its cancel confirmation, wishlist, the "Notify me"
list, the account pages, the footer's pages, a missing page), logged in or not as a shopper would see
them; each is screenshotted (test-artifacts/screenshots/a11y-<size>-<page>.png).
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from accounts.factories import UserFactory
from cart.services import cart_add_book
from catalog.factories import BookFactory, GenreFactory
from catalog.models import PreBooking
from catalog.services import book_relations_replace, wishlist_add
from checkout.factories import order_placed
from tests_browser.axe import axe_blocking_violations
from tests_browser.helpers import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(settings):
    fiction = GenreFactory(name="Fiction", slug="fiction")
    mystery = GenreFactory(name="Mystery", slug="mystery", parent=fiction)
    books = [
        BookFactory(title=f"The Case of Clue {n}", author="Ada Sleuth", genre=mystery, stock=5)
        for n in range(1, 6)
    ]
    sold_out = BookFactory(title="The Vanished Edition", author="Ada Sleuth", genre=mystery, stock=0)
    book_relations_replace(relations={books[0].pk: [(books[1].pk, 3), (books[2].pk, 1)]})
    user = UserFactory(first_name="Nora")
    order = order_placed(user=user, lines=[(books[3], 1)])
    cart_add_book(user=user, book_id=books[4].pk, quantity=1)
    wishlist_add(user=user, book_id=sold_out.pk)
    PreBooking.objects.create(user=user, book=sold_out)
    SocialAccount.objects.create(user=user, provider="github", uid="4242", extra_data={"login": "nora"})
    site = Site.objects.get_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})[0]
    # The migration's footer page is there unless an earlier transactional test flushed the tables.
    page, _ = FlatPage.objects.get_or_create(url="/contact/", defaults={"title": "Contact us"})
    page.sites.add(site)
    return {"book": books[0], "sold_out": sold_out, "user": user, "order": order}


def _pages(shop) -> dict[str, str]:
    order = shop["order"].pk
    return {
        "catalog": "/",
        "genre": "/?genre=mystery",
        "search": "/?search=clue",
        "search-typo": "/?search=mistery",
        "book": f"/books/{shop['book'].pk}/",
        "book-sold-out": f"/books/{shop['sold_out'].pk}/",
        "cart": "/cart/",
        "checkout": "/checkout/",
        "orders": "/orders/",
        "order": f"/orders/{order}/",
        "order-cancel": f"/orders/{order}/cancel/",
        "wishlist": "/wishlist/",
        "notify-me": "/notify-me/",
        "profile": "/accounts/profile/",
        "password-change": "/accounts/password/",
        "connected-accounts": "/accounts/connected-accounts/",
        "contact": "/pages/contact/",
        "missing": "/no-such-page/",
    }


ANONYMOUS_PAGES = {
    "login": "/accounts/login/",
    "register": "/accounts/register/",
    "password-reset": "/accounts/password-reset/",
    "catalog-anonymous": "/",
    "book-anonymous": None,  # the book page, filled in below
}


def test_every_shop_page_has_no_serious_accessibility_violation(
    page, screen, browser_login, shop, oauth_provider
):
    """With Google and GitHub sign-in on (the local provider), so the login pages show their buttons."""
    problems = []

    def check(name: str, path: str) -> None:
        page.goto(path)
        screenshot(page, f"a11y-{screen}-{name}")
        problems.extend(f"{name} ({path}): {problem}" for problem in axe_blocking_violations(page))

    for name, path in {**ANONYMOUS_PAGES, "book-anonymous": f"/books/{shop['book'].pk}/"}.items():
        check(name, path)
    browser_login(shop["user"])
    for name, path in _pages(shop).items():
        check(name, path)
    # The account menu and the search suggestions, open.
    page.goto("/")
    page.locator(".account-menu summary").click()
    problems.extend(f"account menu: {problem}" for problem in axe_blocking_violations(page))
    page.get_by_role("combobox", name="Search books").press_sequentially("Clu")
    page.get_by_role("listbox", name="Search suggestions").wait_for()
    screenshot(page, f"a11y-{screen}-suggestions")
    problems.extend(f"suggestions: {problem}" for problem in axe_blocking_violations(page))

    assert not problems, "\n".join(problems)

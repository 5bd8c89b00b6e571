"""The catalog's pages kept as shells (catalog/page_cache.py, core/page_shell.py): what is kept holds
nothing of a visitor's, every visitor gets their own header, token and nonce, and a change to the
catalog shows at once through the services, or within BOOK_LIST_CACHE_SECONDS when it bypasses them."""

import pickle
import re
import time
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from catalog import services
from catalog.factories import BookFactory
from core.page_shell import CSRF_MARK, NONCE_MARK
from insights.models import DailyBookStats, DailySearchStats

pytestmark = pytest.mark.django_db

HOME = reverse("catalog:home")
NONCE = re.compile(r"'nonce-([^']+)'")


@pytest.fixture
def kept(settings):
    settings.BOOK_LIST_CACHE_SECONDS = 30


def kept_pages() -> list[str]:
    """The shells in the page cache, as stored."""
    return [pickle.loads(kept).html for kept in caches["pages"]._cache.values()]


def price_shown(response) -> str:
    return re.search(r'<span class="price">([^<]*)</span>', response.content.decode()).group(1)


def test_a_kept_page_holds_no_token_nonce_or_visitor(kept):
    BookFactory(title="Dune", stock=5)
    customer = UserFactory(first_name="Robin")
    client = Client()
    client.force_login(customer)

    response = client.get(HOME)

    assert response.status_code == 200
    [shell] = kept_pages()
    assert "Dune" in shell
    assert CSRF_MARK in shell and NONCE_MARK in shell  # the places for them, never their values
    assert client.cookies["csrftoken"].value not in shell
    assert "csrfmiddlewaretoken" in shell and "Robin" not in shell and "account-menu" not in shell
    page = response.content.decode()
    assert CSRF_MARK not in page and NONCE_MARK not in page and "<!--personal:" not in page
    assert "Robin" in page


def test_each_response_has_its_own_nonce_and_a_working_token(kept):
    book = BookFactory(stock=5)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    answers = [first.get(HOME), second.get(HOME)]

    nonces = [NONCE.search(answer["Content-Security-Policy"]).group(1) for answer in answers]
    assert nonces[0] != nonces[1]
    for answer, nonce in zip(answers, nonces, strict=True):
        assert answer.content.decode().count(f'nonce="{nonce}"') == 2  # search box and catalog scripts
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answers[1].content.decode()).group(1)
    added = second.post(
        reverse("cart:add"), {"book_id": book.pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert added.status_code == 302
    assert 'class="cart-link__count">1<' in second.get(HOME).content.decode()  # the kept page, own badge
    assert "cart-link__count" not in first.get(HOME).content.decode()


def test_logged_in_visitors_see_their_own_menu_and_badge_on_a_kept_page(kept):
    books = [BookFactory(stock=5) for _ in range(2)]
    Client().get(HOME)  # kept by an anonymous visitor
    robin, sam = UserFactory(first_name="Robin"), UserFactory(first_name="Sam")
    clients = {}
    for user, copies in ((robin, 2), (sam, 1)):
        clients[user] = Client()
        clients[user].force_login(user)
        for book in books[:copies]:
            clients[user].post(reverse("cart:add"), {"book_id": book.pk, "quantity": 1})

    for user, copies in ((robin, 2), (sam, 1)):
        page = clients[user].get(HOME).content.decode()
        assert f"<summary>{user.first_name}<" in page
        assert f'class="cart-link__count">{copies}<' in page
    assert len(kept_pages()) == 1


def test_messages_show_on_a_kept_page(kept):
    book = BookFactory(stock=5)
    client = Client()
    client.get(HOME)

    client.post(reverse("cart:add"), {"book_id": book.pk, "quantity": 1, "next": HOME})
    page = client.get(HOME).content.decode()

    assert "message--success" in page
    assert "message--success" not in client.get(HOME).content.decode()  # shown once


def test_invalid_filters_are_not_kept(kept):
    BookFactory()
    for _ in range(2):
        page = Client().get(HOME, {"min_price": "cheap"}).content.decode()
        assert "Some filters could not be applied" in page
    assert kept_pages() == []


def test_a_price_change_through_the_services_shows_at_once(kept, django_capture_on_commit_callbacks):
    book = BookFactory(price=Decimal("10.00"), stock=5)
    client = Client()
    assert price_shown(client.get(HOME)) == "$10.00"
    assert '<p class="price price--large">$10.00</p>' in client.get(f"/books/{book.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.book_update(book=book, price=Decimal("12.50"))

    assert price_shown(client.get(HOME)) == "$12.50"
    assert '<p class="price price--large">$12.50</p>' in client.get(f"/books/{book.pk}/").content.decode()


def test_a_stock_change_through_the_services_shows_at_once(kept, django_capture_on_commit_callbacks):
    book = BookFactory(stock=5)
    client = Client()
    assert "Only 5 left" in client.get(HOME).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.stock_adjust(book_id=book.pk, delta=-5, reason="adjustment")

    assert "Out of stock" in client.get(HOME).content.decode()


def test_a_change_that_bypasses_the_services_shows_within_the_lag(settings):
    settings.BOOK_LIST_CACHE_SECONDS = 1
    book = BookFactory(price=Decimal("10.00"))
    client = Client()
    assert price_shown(client.get(HOME)) == "$10.00"
    type(book).objects.filter(pk=book.pk).update(price=Decimal("11.00"))  # no service, no new version

    assert price_shown(client.get(HOME)) == "$10.00"  # kept
    time.sleep(1.1)
    assert price_shown(client.get(HOME)) == "$11.00"


def test_a_kept_book_page_shows_each_shopper_their_own_wishlist_and_notification(kept):
    book = BookFactory(stock=0)
    anonymous = Client().get(f"/books/{book.pk}/").content.decode()
    robin, sam = UserFactory(first_name="Robin"), UserFactory(first_name="Sam")
    clients = {}
    for user in (robin, sam):
        clients[user] = Client()
        clients[user].force_login(user)
    clients[robin].post(reverse("catalog:wishlist_add", args=[book.pk]))
    clients[robin].post(reverse("catalog:prebooking_create", args=[book.pk]))

    pages = {user: clients[user].get(f"/books/{book.pk}/").content.decode() for user in (robin, sam)}

    assert "Remove from wishlist" in pages[robin] and "Cancel notification" in pages[robin]
    assert "Add to wishlist" in pages[sam] and "Notify me</button>" in pages[sam]
    assert "to keep it on your wishlist" in anonymous and "to keep it on your wishlist" not in pages[sam]
    shells = kept_pages()
    assert len(shells) == 2  # one for anonymous visitors, one for every logged-in shopper
    for shell in shells:
        assert "Robin" not in shell and "Remove from wishlist" not in shell and "Add to wishlist" not in shell


@pytest.mark.django_db(transaction=True)  # the counters wait for the commit
def test_views_and_searches_are_counted_when_served_from_the_cache(kept):
    book = BookFactory(title="Dune")
    client = Client()
    for _ in range(3):
        assert client.get(f"/books/{book.pk}/").status_code == 200
        assert client.get(HOME, {"search": "dune"}).status_code == 200
        assert client.get(HOME, {"search": "unicorn"}).status_code == 200
    assert len(kept_pages()) == 3

    assert DailyBookStats.objects.get(book_id=book.pk).views == 3
    searches = {row.query: (row.searches, row.no_results) for row in DailySearchStats.objects.all()}
    assert searches == {"dune": (3, 0), "unicorn": (3, 3)}


def test_zero_keeps_nothing(settings):
    settings.BOOK_LIST_CACHE_SECONDS = 0
    book = BookFactory(price=Decimal("10.00"))
    client = Client()
    client.get(HOME)
    type(book).objects.filter(pk=book.pk).update(price=Decimal("11.00"))

    assert price_shown(client.get(HOME)) == "$11.00"
    assert kept_pages() == []

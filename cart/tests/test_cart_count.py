"""The header's cart count (context processor): cheap, and right for both kinds of cart."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cart import services
from cart.context_processors import cart as cart_context
from cart.models import Cart
from catalog.factories import BookFactory

pytestmark = pytest.mark.django_db


def test_logged_in_count_is_one_query(rf: RequestFactory, user, django_assert_num_queries):
    services.cart_add_book(user=user, book_id=BookFactory().pk, quantity=2)
    services.cart_add_book(user=user, book_id=BookFactory().pk, quantity=3)
    request = rf.get("/")
    request.user = user

    count = cart_context(request)["cart_item_count"]

    with django_assert_num_queries(1):
        assert count() == 5
        assert count() == 5  # counted once per request


def test_nothing_is_counted_unless_shown(rf: RequestFactory, user, django_assert_num_queries):
    request = rf.get("/")
    request.user = user

    with django_assert_num_queries(0):
        cart_context(request)


def test_anonymous_count_comes_from_the_session_without_queries(client, django_assert_num_queries):
    book = BookFactory(stock=5)
    client.post(reverse("cart:add"), {"book_id": book.pk, "quantity": 3})
    request = client.get("/").wsgi_request

    with django_assert_num_queries(0):
        assert cart_context(request)["cart_item_count"]() == 3


def test_header_shows_the_count(client, user):
    services.cart_add_book(user=user, book_id=BookFactory().pk, quantity=2)
    client.force_login(user)

    html = client.get("/").content.decode()

    # The name read out ("Cart, 2 books") contains the text shown ("Cart 2"): WCAG's "label in name".
    assert 'aria-label="Cart, 2 books"' in html
    assert '>Cart <span class="cart-link__count">2</span></a>' in html


def test_header_shows_no_count_for_an_empty_cart(client):
    html = client.get("/").content.decode()

    assert 'href="/cart/"' in html
    assert "cart-link__count" not in html


def test_logged_in_count_without_a_cart_or_with_an_emptied_one_is_zero(rf: RequestFactory, user):
    request = rf.get("/")
    request.user = user
    assert not Cart.objects.filter(user=user).exists()
    assert cart_context(request)["cart_item_count"]() == 0

    book = BookFactory()
    services.cart_add_book(user=user, book_id=book.pk, quantity=2)
    services.cart_clear(user=user)

    assert Cart.objects.filter(user=user).exists()
    assert cart_context(request)["cart_item_count"]() == 0

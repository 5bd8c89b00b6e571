"""Logging in or registering brings the anonymous session cart into the account's cart."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.factories import DEFAULT_PASSWORD
from cart import services
from cart.models import CartItem
from cart.session_cart import SESSION_KEY
from catalog.factories import BookFactory
from catalog.models import Book

pytestmark = pytest.mark.django_db

ADD = reverse("cart:add")
NEW_PASSWORD = "a-Fresh-passphrase-42"


def account_lines(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity"))


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def test_login_merges_the_session_cart_and_warns_about_capped_lines(client, user):
    plenty = BookFactory(title="Plenty", stock=10)
    scarce = BookFactory(title="Scarce", stock=5)
    services.cart_add_book(user=user, book_id=plenty.pk, quantity=1)
    client.post(ADD, {"book_id": plenty.pk, "quantity": 2})
    client.post(ADD, {"book_id": scarce.pk, "quantity": 4})
    Book.objects.filter(pk=scarce.pk).update(stock=1)  # someone bought three meanwhile

    response = client.post(
        reverse("accounts:login"),
        {"email": user.email, "password": DEFAULT_PASSWORD, "next": reverse("cart:detail")},
    )

    assert response.status_code == 302
    assert response.url == reverse("cart:detail")
    assert account_lines(user) == {plenty.pk: 3, scarce.pk: 1}
    assert SESSION_KEY not in client.session
    assert ("warning", "Only 1 of “Scarce” in stock; your cart holds 1.") in messages_of(response)
    cart_page = client.get(reverse("cart:detail")).content.decode()
    assert "Plenty" in cart_page and "Scarce" in cart_page


def test_login_with_an_empty_session_cart_leaves_the_account_cart_alone(client, user):
    book = BookFactory()
    services.cart_add_book(user=user, book_id=book.pk, quantity=2)

    response = client.post(reverse("accounts:login"), {"email": user.email, "password": DEFAULT_PASSWORD})

    assert account_lines(user) == {book.pk: 2}
    assert [level for level, _ in messages_of(response)] == ["success"]


def test_failed_login_keeps_the_session_cart_and_merges_nothing(client, user):
    book = BookFactory(stock=5)
    client.post(ADD, {"book_id": book.pk, "quantity": 2})

    response = client.post(reverse("accounts:login"), {"email": user.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == {str(book.pk): 2}
    assert account_lines(user) == {}


def test_registration_merges_the_session_cart(client):
    book = BookFactory(stock=5)
    client.post(ADD, {"book_id": book.pk, "quantity": 2})

    response = client.post(
        reverse("accounts:register"),
        {
            "email": "new.reader@example.com",
            "username": "newreader",
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.reader@example.com")
    assert account_lines(user) == {book.pk: 2}
    assert SESSION_KEY not in client.session


def test_a_book_removed_meanwhile_is_left_out_with_a_notice(client, user):
    book = BookFactory(stock=5)
    client.post(ADD, {"book_id": book.pk, "quantity": 1})
    Book.objects.filter(pk=book.pk).update(is_active=False)

    response = client.post(reverse("accounts:login"), {"email": user.email, "password": DEFAULT_PASSWORD})

    assert account_lines(user) == {}
    assert ("warning", "A book from your basket is no longer available.") in messages_of(response)
    assert SESSION_KEY not in client.session

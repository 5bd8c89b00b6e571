"""The cart pages through Django's test client, for logged-in shoppers (account cart) and anonymous ones
(session cart): add, show, change, remove; CSRF; bad input never changes anything and never 500s."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from cart import services
from cart.models import CartItem
from cart.session_cart import SESSION_KEY
from catalog.factories import BookFactory
from catalog.models import Book

pytestmark = pytest.mark.django_db

ADD = reverse("cart:add")
CART = reverse("cart:detail")


def account_lines(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity"))


def session_lines(client) -> dict[str, int]:
    return client.session.get(SESSION_KEY, {})


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def csrf_client(*, user=None) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser, and the token a book page (add form) gave it."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(reverse("catalog:book_detail", args=[BookFactory().pk]))
    return client, client.cookies["csrftoken"].value


# ---- cart:add -------------------------------------------------------------------------------------


def test_anonymous_add_keeps_the_line_in_the_session(client):
    book = BookFactory(title="Dune", stock=5)

    response = client.post(ADD, {"book_id": book.pk, "quantity": 2})

    assert response.status_code == 302
    assert response.url == reverse("catalog:book_detail", args=[book.pk])
    assert session_lines(client) == {str(book.pk): 2}
    assert not CartItem.objects.exists()
    assert message_texts(response) == [
        f'Added 2 copies of “Dune” to your cart. <a href="{CART}">View your cart</a>'
    ]


def test_anonymous_add_of_the_same_book_adds_to_its_line(client):
    book = BookFactory(stock=5)
    client.post(ADD, {"book_id": book.pk, "quantity": 2})

    client.post(ADD, {"book_id": book.pk, "quantity": 3})

    assert session_lines(client) == {str(book.pk): 5}


def test_logged_in_add_goes_to_the_account_cart(client, user):
    book = BookFactory(title="Emma", stock=5)
    client.force_login(user)

    response = client.post(ADD, {"book_id": book.pk, "quantity": 1})

    assert response.status_code == 302
    assert response.url == reverse("catalog:book_detail", args=[book.pk])
    assert account_lines(user) == {book.pk: 1}
    assert SESSION_KEY not in client.session
    assert any("Added “Emma” to your cart." in text for text in message_texts(response))


def test_add_returns_to_a_safe_next_only(client):
    book = BookFactory(stock=5)

    inside = client.post(ADD, {"book_id": book.pk, "quantity": 1, "next": CART})
    outside = client.post(ADD, {"book_id": book.pk, "quantity": 1, "next": "https://evil.example/"})

    assert inside.url == CART
    assert outside.url == reverse("catalog:book_detail", args=[book.pk])


@pytest.mark.parametrize("logged_in", [True, False])
def test_add_more_than_in_stock_is_refused_and_the_cart_unchanged(client, user, logged_in):
    book = BookFactory(title="Rare", stock=3)
    if logged_in:
        client.force_login(user)
    client.post(ADD, {"book_id": book.pk, "quantity": 2})

    response = client.post(ADD, {"book_id": book.pk, "quantity": 2})

    assert response.status_code == 302
    assert response.url == reverse("catalog:book_detail", args=[book.pk])
    assert any("Only 3 of “Rare” in stock" in text for text in message_texts(response))
    if logged_in:
        assert account_lines(user) == {book.pk: 2}
    else:
        assert session_lines(client) == {str(book.pk): 2}


@pytest.mark.parametrize("logged_in", [True, False])
@pytest.mark.parametrize(
    ("book_id", "quantity"),
    [
        ("BOOK", "x"),
        ("BOOK", "0"),
        ("BOOK", "-1"),
        ("BOOK", ""),
        ("BOOK", "1.5"),
        ("BOOK", "1001"),
        ("BOOK", str(10**30)),
        ("abc", "1"),
        ("", "1"),
        ("0", "1"),
        ("999999", "1"),
        (str(10**30), "1"),
        ("REMOVED", "1"),
    ],
)
def test_add_with_bad_input_says_so_and_changes_nothing(client, user, logged_in, book_id, quantity):
    book = BookFactory(stock=2000)
    removed = BookFactory(is_active=False)
    book_id = {"BOOK": str(book.pk), "REMOVED": str(removed.pk)}.get(book_id, book_id)
    if logged_in:
        client.force_login(user)

    response = client.post(ADD, {"book_id": book_id, "quantity": quantity})

    assert response.status_code == 302
    assert any(text.startswith("Your cart was not changed.") for text in message_texts(response))
    assert not CartItem.objects.exists()
    assert SESSION_KEY not in client.session
    assert Book.objects.get(pk=book.pk).stock == 2000


def test_add_needs_post(client):
    book = BookFactory()

    response = client.get(ADD, {"book_id": book.pk, "quantity": 1})

    assert response.status_code == 405
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("logged_in", [True, False])
def test_add_enforces_csrf(user, logged_in):
    book = BookFactory(stock=5)
    client, token = csrf_client(user=user if logged_in else None)

    refused = client.post(ADD, {"book_id": book.pk, "quantity": 1})

    assert refused.status_code == 403
    assert not CartItem.objects.exists()
    assert SESSION_KEY not in client.session

    accepted = client.post(ADD, {"book_id": book.pk, "quantity": 1, "csrfmiddlewaretoken": token})

    assert accepted.status_code == 302
    if logged_in:
        assert account_lines(user) == {book.pk: 1}
    else:
        assert session_lines(client) == {str(book.pk): 1}


# ---- cart:detail ----------------------------------------------------------------------------------


def test_cart_page_shows_the_account_cart(client, user):
    dune = BookFactory(title="Dune", author="Frank Herbert", price=Decimal("12.50"), stock=5)
    emma = BookFactory(title="Emma", price=Decimal("3.35"), stock=9)
    services.cart_add_book(user=user, book_id=dune.pk, quantity=2)
    emma_item = services.cart_add_book(user=user, book_id=emma.pk, quantity=3)
    client.force_login(user)

    response = client.get(CART)

    html = response.content.decode()
    assert response.status_code == 200
    assert [line.item.book.title for line in response.context["cart"].lines] == ["Dune", "Emma"]
    assert f'href="{reverse("catalog:book_detail", args=[dune.pk])}">Dune</a>' in html
    assert 'aria-label="No cover image for Dune"' in html
    for text in ["$12.50", "$25.00", "$3.35", "$10.05", "$35.05", "Frank Herbert", "Proceed to checkout"]:
        assert text in html
    assert f'action="{reverse("cart:update", args=[emma_item.pk])}"' in html
    assert f'action="{reverse("cart:remove", args=[emma_item.pk])}"' in html
    assert 'name="quantity" type="number" min="1" value="3"' in html
    assert f'href="{reverse("checkout:checkout")}"' in html


def test_cart_page_shows_an_anonymous_session_cart_and_asks_to_log_in_for_checkout(client):
    book = BookFactory(title="Dune", price=Decimal("9.99"), stock=5)
    client.post(ADD, {"book_id": book.pk, "quantity": 2})

    html = client.get(CART).content.decode()

    assert "Dune" in html
    assert "$19.98" in html
    assert f'action="{reverse("cart:update", args=[book.pk])}"' in html
    assert f'href="{reverse("accounts:login")}?next={reverse("checkout:checkout")}"' in html


def test_cart_page_warns_about_lines_the_shelf_cannot_fill(client, user):
    short = BookFactory(title="Short", stock=5)
    gone = BookFactory(title="Gone", stock=5)
    services.cart_add_book(user=user, book_id=short.pk, quantity=4)
    services.cart_add_book(user=user, book_id=gone.pk, quantity=1)
    Book.objects.filter(pk=short.pk).update(stock=2)
    Book.objects.filter(pk=gone.pk).update(is_active=False)
    client.force_login(user)

    html = client.get(CART).content.decode()

    assert "Only 2 left: lower the quantity to check out." in html
    assert "No longer available: remove it to check out." in html
    assert f'href="{reverse("catalog:book_detail", args=[gone.pk])}"' not in html


def test_empty_cart_page(client):
    response = client.get(CART)

    assert response.status_code == 200
    assert "Your cart is empty" in response.content.decode()
    assert "Proceed to checkout" not in response.content.decode()


def test_cart_page_needs_get(client):
    assert client.post(CART).status_code == 405


# ---- cart:update and cart:remove ------------------------------------------------------------------


def test_update_sets_the_quantity_of_an_account_line(client, user):
    item = services.cart_add_book(user=user, book_id=BookFactory(stock=8).pk, quantity=1)
    client.force_login(user)

    response = client.post(reverse("cart:update", args=[item.pk]), {"quantity": 6})

    assert response.status_code == 302
    assert response.url == CART
    assert account_lines(user) == {item.book_id: 6}


def test_update_sets_the_quantity_of_a_session_line(client):
    book = BookFactory(stock=8)
    client.post(ADD, {"book_id": book.pk, "quantity": 1})

    client.post(reverse("cart:update", args=[book.pk]), {"quantity": 6})

    assert session_lines(client) == {str(book.pk): 6}


@pytest.mark.parametrize("quantity", ["x", "0", "-2", "", "9" * 30, "1001", "4"])
def test_update_with_bad_or_too_large_quantity_changes_nothing(client, user, quantity):
    item = services.cart_add_book(user=user, book_id=BookFactory(title="Rare", stock=3).pk, quantity=2)
    client.force_login(user)

    response = client.post(reverse("cart:update", args=[item.pk]), {"quantity": quantity})

    assert response.status_code == 302
    assert any(text.startswith("Your cart was not changed.") for text in message_texts(response))
    assert account_lines(user) == {item.book_id: 2}


def test_update_of_a_session_line_beyond_stock_changes_nothing(client):
    book = BookFactory(title="Rare", stock=3)
    client.post(ADD, {"book_id": book.pk, "quantity": 2})

    response = client.post(reverse("cart:update", args=[book.pk]), {"quantity": 4})

    assert any("Only 3 of “Rare” in stock." in text for text in message_texts(response))
    assert session_lines(client) == {str(book.pk): 2}


@pytest.mark.parametrize("line_id", ["OTHER", "999999", str(10**30)])
def test_update_of_a_line_not_in_my_cart_changes_nothing(client, user, line_id):
    theirs = services.cart_add_book(user=UserFactory(), book_id=BookFactory(stock=5).pk, quantity=1)
    client.force_login(user)
    line_id = str(theirs.pk) if line_id == "OTHER" else line_id

    response = client.post(f"/cart/lines/{line_id}/", {"quantity": 3})

    assert response.status_code == 302
    assert any("No such item in your cart." in text for text in message_texts(response))
    assert CartItem.objects.get(pk=theirs.pk).quantity == 1
    assert account_lines(user) == {}


def test_remove_deletes_an_account_line(client, user):
    keep = services.cart_add_book(user=user, book_id=BookFactory().pk, quantity=1)
    drop = services.cart_add_book(user=user, book_id=BookFactory().pk, quantity=1)
    client.force_login(user)

    response = client.post(reverse("cart:remove", args=[drop.pk]))

    assert response.status_code == 302
    assert response.url == CART
    assert account_lines(user) == {keep.book_id: 1}


def test_remove_deletes_a_session_line(client):
    keep, drop = BookFactory(), BookFactory()
    client.post(ADD, {"book_id": keep.pk, "quantity": 1})
    client.post(ADD, {"book_id": drop.pk, "quantity": 1})

    client.post(reverse("cart:remove", args=[drop.pk]))

    assert session_lines(client) == {str(keep.pk): 1}


def test_remove_of_another_users_line_changes_nothing(client, user):
    theirs = services.cart_add_book(user=UserFactory(), book_id=BookFactory().pk, quantity=1)
    client.force_login(user)

    response = client.post(reverse("cart:remove", args=[theirs.pk]))

    assert any("No such item in your cart." in text for text in message_texts(response))
    assert CartItem.objects.filter(pk=theirs.pk).exists()


def test_remove_of_a_book_not_in_the_session_cart_changes_nothing(client):
    book = BookFactory()
    client.post(ADD, {"book_id": book.pk, "quantity": 1})

    response = client.post(reverse("cart:remove", args=[book.pk + 1000]))

    assert any("No such item in your cart." in text for text in message_texts(response))
    assert session_lines(client) == {str(book.pk): 1}


@pytest.mark.parametrize("logged_in", [True, False])
def test_update_and_remove_enforce_csrf(user, logged_in):
    book = BookFactory(stock=5)
    client, token = csrf_client(user=user if logged_in else None)
    client.post(ADD, {"book_id": book.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    line_id = CartItem.objects.get().pk if logged_in else book.pk

    def lines():
        return account_lines(user) if logged_in else session_lines(client)

    before = lines()
    assert client.post(reverse("cart:update", args=[line_id]), {"quantity": 3}).status_code == 403
    assert client.post(reverse("cart:remove", args=[line_id])).status_code == 403
    assert lines() == before

    client.post(reverse("cart:update", args=[line_id]), {"quantity": 3, "csrfmiddlewaretoken": token})
    assert list(lines().values()) == [3]
    client.post(reverse("cart:remove", args=[line_id]), {"csrfmiddlewaretoken": token})
    assert lines() == {}

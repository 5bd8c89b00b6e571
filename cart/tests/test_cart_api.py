"""The cart through the HTTP API: shape, adding, changing, removing, and other users' lines."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from cart.factories import CartItemFactory
from cart.models import Cart, CartItem
from catalog.factories import BookFactory
from catalog.models import Book
from catalog.services import book_deactivate
from conftest import client_for

pytestmark = pytest.mark.django_db


def _lines(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity"))


@pytest.mark.parametrize("path", ["/api/cart/", "/api/cart"])
def test_empty_cart_has_the_contract_shape(user_client, path):
    response = user_client.get(path)

    assert response.status_code == 200
    assert response.json() == {"items": [], "item_count": 0, "total": "0.00"}


def test_cart_shows_lines_with_books_and_money_strings(user, user_client):
    first = BookFactory(title="Dune", price=Decimal("12.50"), stock=4)
    second = BookFactory(title="Emma", price=Decimal("3.35"), stock=9)
    first_item = CartItemFactory(cart__user=user, book=first, quantity=2)
    second_item = CartItemFactory(cart__user=user, book=second, quantity=3)

    body = user_client.get("/api/cart/").json()

    assert body == {
        "items": [
            {
                "id": first_item.id,
                "book": {"id": first.id, "title": "Dune", "price": "12.50", "stock": 4},
                "quantity": 2,
                "line_total": "25.00",
            },
            {
                "id": second_item.id,
                "book": {"id": second.id, "title": "Emma", "price": "3.35", "stock": 9},
                "quantity": 3,
                "line_total": "10.05",
            },
        ],
        "item_count": 5,
        "total": "35.05",
    }


def test_cart_totals_follow_the_current_price(user, user_client):
    book = BookFactory(price=Decimal("10.00"))
    user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 3}, format="json")
    Book.objects.filter(pk=book.pk).update(price=Decimal("7.25"))

    body = user_client.get("/api/cart/").json()

    assert body["items"][0]["book"]["price"] == "7.25"
    assert body["items"][0]["line_total"] == "21.75"
    assert body["total"] == "21.75"


def test_cart_shows_only_the_callers_lines(user, user_client):
    CartItemFactory(cart__user=UserFactory(), quantity=2)
    mine = CartItemFactory(cart__user=user)

    body = user_client.get("/api/cart/").json()

    assert [item["id"] for item in body["items"]] == [mine.id]
    assert body["item_count"] == 1


@pytest.mark.parametrize("path", ["/api/cart/items/", "/api/cart/items"])
def test_add_book_creates_a_line(user, user_client, path):
    book = BookFactory(price=Decimal("4.20"), stock=5)

    response = user_client.post(path, {"book_id": book.id, "quantity": 2}, format="json")

    assert response.status_code == 201, response.content
    item = CartItem.objects.get(cart__user=user)
    assert response.json() == {
        "id": item.id,
        "book": {"id": book.id, "title": book.title, "price": "4.20", "stock": 5},
        "quantity": 2,
        "line_total": "8.40",
    }


def test_add_book_quantity_defaults_to_one(user, user_client):
    book = BookFactory()

    response = user_client.post("/api/cart/items/", {"book_id": book.id}, format="json")

    assert response.status_code == 201
    assert _lines(user) == {book.id: 1}


def test_adding_the_same_book_again_adds_to_its_line(user, user_client):
    book = BookFactory(stock=10)
    first = user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 2}, format="json")

    again = user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 3}, format="json")

    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["quantity"] == 5
    assert _lines(user) == {book.id: 5}


def test_add_unknown_book_is_404(user, user_client):
    response = user_client.post("/api/cart/items/", {"book_id": 987654}, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not CartItem.objects.exists()


def test_add_removed_book_is_404(user, user_client):
    book = BookFactory()
    book_deactivate(book=book)

    response = user_client.post("/api/cart/items/", {"book_id": book.id}, format="json")

    assert response.status_code == 404
    assert not CartItem.objects.exists()


@pytest.mark.parametrize("quantity", [0, -1, "x", "", None, 1.5, 10**6, 10**30])
def test_add_with_bad_quantity_is_400(user, user_client, quantity):
    book = BookFactory(stock=10)

    response = user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": quantity}, format="json")

    assert response.status_code == 400
    assert "quantity" in response.json()
    assert not CartItem.objects.exists()


@pytest.mark.parametrize("book_id", ["abc", None, 0, -3, 10**30, [1]])
def test_add_with_bad_book_id_is_400(user, user_client, book_id):
    response = user_client.post("/api/cart/items/", {"book_id": book_id}, format="json")

    assert response.status_code == 400
    assert "book_id" in response.json()
    assert not CartItem.objects.exists()


def test_add_with_non_object_body_is_400(user, user_client):
    response = user_client.post("/api/cart/items/", [1, 2], format="json")

    assert response.status_code == 400
    assert not CartItem.objects.exists()


def test_add_more_than_stock_is_409_and_cart_unchanged(user, user_client):
    book = BookFactory(stock=3, title="Rare")

    response = user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 4}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert body["books"] == [{"id": book.id, "title": "Rare", "requested": 4, "available": 3}]
    assert _lines(user) == {}


def test_adding_to_a_line_beyond_stock_is_409_and_line_unchanged(user, user_client):
    book = BookFactory(stock=3)
    user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 2}, format="json")

    response = user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 2}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert _lines(user) == {book.id: 2}


@pytest.mark.parametrize("path", ["/api/cart/items/{id}/", "/api/cart/items/{id}"])
def test_patch_own_item_sets_quantity(user, user_client, path):
    item = CartItemFactory(cart__user=user, book=BookFactory(stock=8, price=Decimal("2.50")), quantity=1)

    response = user_client.patch(path.format(id=item.id), {"quantity": 6}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["quantity"] == 6
    assert response.json()["line_total"] == "15.00"
    item.refresh_from_db()
    assert item.quantity == 6


def test_patch_over_stock_is_409_and_item_unchanged(user, user_client):
    item = CartItemFactory(cart__user=user, book=BookFactory(stock=3), quantity=2)

    response = user_client.patch(f"/api/cart/items/{item.id}/", {"quantity": 4}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    item.refresh_from_db()
    assert item.quantity == 2


@pytest.mark.parametrize("quantity", [0, -1, "x", None, 10**6])
def test_patch_with_bad_quantity_is_400(user, user_client, quantity):
    item = CartItemFactory(cart__user=user, quantity=2)

    response = user_client.patch(f"/api/cart/items/{item.id}/", {"quantity": quantity}, format="json")

    assert response.status_code == 400
    item.refresh_from_db()
    assert item.quantity == 2


def test_patch_item_of_a_removed_book_is_404(user, user_client):
    item = CartItemFactory(cart__user=user, quantity=1)
    book_deactivate(book=item.book)

    response = user_client.patch(f"/api/cart/items/{item.id}/", {"quantity": 2}, format="json")

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.quantity == 1


def test_patch_another_users_item_is_404_and_unchanged(user_client):
    theirs = CartItemFactory(cart__user=UserFactory(), quantity=1)

    response = user_client.patch(f"/api/cart/items/{theirs.id}/", {"quantity": 2}, format="json")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.quantity == 1


def test_patch_unknown_item_is_404(user_client):
    response = user_client.patch("/api/cart/items/424242/", {"quantity": 2}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/cart/items/{id}/", "/api/cart/items/{id}"])
def test_delete_own_line(user, user_client, path):
    keep = CartItemFactory(cart__user=user)
    gone = CartItemFactory(cart__user=user)

    response = user_client.delete(path.format(id=gone.id))

    assert response.status_code == 204
    assert list(CartItem.objects.filter(cart__user=user)) == [keep]


def test_delete_another_users_line_is_404_and_kept(user_client):
    theirs = CartItemFactory(cart__user=UserFactory())

    response = user_client.delete(f"/api/cart/items/{theirs.id}/")

    assert response.status_code == 404
    assert CartItem.objects.filter(pk=theirs.pk).exists()


def test_delete_line_twice_is_404(user, user_client):
    item = CartItemFactory(cart__user=user)
    user_client.delete(f"/api/cart/items/{item.id}/")

    assert user_client.delete(f"/api/cart/items/{item.id}/").status_code == 404


@pytest.mark.parametrize("path", ["/api/cart/", "/api/cart"])
def test_delete_cart_empties_only_the_callers_cart(user, user_client, path):
    CartItemFactory(cart__user=user)
    CartItemFactory(cart__user=user)
    other = CartItemFactory(cart__user=UserFactory())

    response = user_client.delete(path)

    assert response.status_code == 204
    assert _lines(user) == {}
    assert list(CartItem.objects.all()) == [other]
    assert user_client.get("/api/cart/").json()["items"] == []


def test_delete_empty_cart_is_204(user_client):
    assert user_client.delete("/api/cart/").status_code == 204


def test_cart_item_ids_must_be_digits(user_client):
    assert user_client.patch("/api/cart/items/abc/", {"quantity": 1}, format="json").status_code == 404
    assert user_client.delete("/api/cart/items/9" + "9" * 30 + "/").status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/cart/"),
        ("get", "/api/cart"),
        ("delete", "/api/cart/"),
        ("post", "/api/cart/items/"),
        ("post", "/api/cart/items"),
        ("patch", "/api/cart/items/1/"),
        ("delete", "/api/cart/items/1"),
    ],
)
def test_anonymous_is_401(api_client, method, path):
    book = BookFactory()

    response = getattr(api_client, method)(path, {"book_id": book.id, "quantity": 1}, format="json")

    assert response.status_code == 401
    assert not Cart.objects.exists()


def test_users_carts_are_independent(user, user_client):
    book = BookFactory(stock=5)
    other = UserFactory()
    client_for(other).post("/api/cart/items/", {"book_id": book.id, "quantity": 4}, format="json")

    response = user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 5}, format="json")

    assert response.status_code == 201
    assert _lines(user) == {book.id: 5}
    assert _lines(other) == {book.id: 4}


def test_cart_shows_a_removed_book_with_no_stock(user, user_client):
    item = CartItemFactory(cart__user=user, book=BookFactory(stock=7), quantity=2)
    book_deactivate(book=item.book)

    body = user_client.get("/api/cart/").json()

    assert body["items"][0]["id"] == item.id
    assert body["items"][0]["book"]["stock"] == 0


def test_cart_worth_more_than_an_order_can_hold_still_shows(user, user_client):
    book = BookFactory(price=Decimal("99999999.99"), stock=5000)

    added = user_client.post("/api/cart/items/", {"book_id": book.id, "quantity": 1000}, format="json")
    body = user_client.get("/api/cart/").json()

    assert added.status_code == 201
    assert added.json()["line_total"] == "99999999990.00"
    assert body["total"] == "99999999990.00"

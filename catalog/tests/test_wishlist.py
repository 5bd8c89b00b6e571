"""Wishlist: the caller's own list; adding twice is a duplicate; only catalog books can be added."""

import pytest

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book, WishlistItem
from conftest import client_for

pytestmark = pytest.mark.django_db


def test_add_then_list(user, user_client):
    first, second = BookFactory(title="First"), BookFactory(title="Second")

    response = user_client.post("/api/wishlist/", {"book_id": first.pk}, format="json")
    user_client.post("/api/wishlist", {"book_id": second.pk}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["book_id"] == first.pk and response.json()["book"]["title"] == "First"
    listed = user_client.get("/api/wishlist/").json()
    assert listed["count"] == 2
    assert [item["book"]["title"] for item in listed["results"]] == ["Second", "First"]


def test_adding_twice_is_a_duplicate(user, user_client):
    book = BookFactory()
    user_client.post("/api/wishlist/", {"book_id": book.pk}, format="json")

    response = user_client.post("/api/wishlist/", {"book_id": book.pk}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "duplicate"
    assert WishlistItem.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("book_state", ["unknown", "inactive"])
def test_only_catalog_books_can_be_added(user, user_client, book_state):
    book = BookFactory()
    if book_state == "inactive":
        Book.objects.filter(pk=book.pk).update(is_active=False)
    book_id = book.pk if book_state == "inactive" else book.pk + 1000

    response = user_client.post("/api/wishlist/", {"book_id": book_id}, format="json")

    assert response.status_code == 404, response.content
    assert not WishlistItem.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"book_id": "x"}, {"book_id": 0}, {"book_id": 2**64}])
def test_invalid_payload_is_400(user_client, payload):
    response = user_client.post("/api/wishlist/", payload, format="json")

    assert response.status_code == 400, response.content
    assert not WishlistItem.objects.exists()


def test_remove_by_book_id(user, user_client):
    keep, drop = BookFactory(), BookFactory()
    for book in (keep, drop):
        user_client.post("/api/wishlist/", {"book_id": book.pk}, format="json")

    response = user_client.delete(f"/api/wishlist/{drop.pk}/")

    assert response.status_code == 204
    assert list(WishlistItem.objects.values_list("book_id", flat=True)) == [keep.pk]
    again = user_client.delete(f"/api/wishlist/{drop.pk}")
    assert again.status_code == 404
    assert list(WishlistItem.objects.values_list("book_id", flat=True)) == [keep.pk]


def test_each_user_sees_and_removes_only_their_own(user, user_client):
    book = BookFactory()
    other = UserFactory()
    client_for(other).post("/api/wishlist/", {"book_id": book.pk}, format="json")

    assert user_client.get("/api/wishlist/").json()["count"] == 0
    assert user_client.delete(f"/api/wishlist/{book.pk}/").status_code == 404
    assert WishlistItem.objects.filter(user=other, book=book).exists()
    assert user_client.post("/api/wishlist/", {"book_id": book.pk}, format="json").status_code == 201


def test_removed_books_leave_the_list(user, user_client):
    book = BookFactory()
    user_client.post("/api/wishlist/", {"book_id": book.pk}, format="json")
    Book.objects.filter(pk=book.pk).update(is_active=False)

    assert user_client.get("/api/wishlist/").json()["count"] == 0


def test_anonymous_gets_401(api_client):
    book = BookFactory()

    assert api_client.get("/api/wishlist/").status_code == 401
    assert api_client.post("/api/wishlist/", {"book_id": book.pk}, format="json").status_code == 401
    assert api_client.delete(f"/api/wishlist/{book.pk}/").status_code == 401
    assert not WishlistItem.objects.exists()

"""Reviews: who may post (verified buyers), one per user and book, owner edits, owner/staff soft delete,
and the book's avg_rating / review_count kept exact by every write."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book
from conftest import client_for
from orders.models import OrderStatus
from reviews.models import Review

pytestmark = pytest.mark.django_db


def _post(client, book, rating=5, text="Loved it"):
    return client.post(f"/api/books/{book.pk}/reviews/", {"rating": rating, "text": text}, format="json")


def _aggregates(book):
    book.refresh_from_db()
    return book.avg_rating, book.review_count


@pytest.mark.parametrize("status", [OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED])
def test_buyer_with_paid_or_later_order_posts_a_verified_review(user, user_client, buy, status):
    book = BookFactory()
    buy(user, book, status=status)

    response = _post(user_client, book, rating=4, text="  Solid.  ")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "id": body["id"],
        "user": user.username,
        "rating": 4,
        "text": "Solid.",
        "verified_purchase": True,
        "created_at": body["created_at"],
    }
    assert _aggregates(book) == (Decimal("4.00"), 1)


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.CANCELLED])
def test_unpaid_or_cancelled_order_is_not_a_purchase(user, user_client, buy, status):
    book = BookFactory()
    buy(user, book, status=status)

    response = _post(user_client, book)

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "not_purchased"
    assert not Review.objects.exists()
    assert _aggregates(book) == (None, 0)


def test_buying_another_book_does_not_count(user, user_client, buy):
    book, other = BookFactory(), BookFactory()
    buy(user, other)

    response = _post(user_client, book)

    assert response.status_code == 403 and response.json()["code"] == "not_purchased"
    assert not Review.objects.exists()


def test_someone_elses_purchase_does_not_count(user_client, buy):
    book = BookFactory()
    buy(UserFactory(), book)

    response = _post(user_client, book)

    assert response.status_code == 403 and response.json()["code"] == "not_purchased"
    assert not Review.objects.exists()


def test_second_review_of_the_same_book_is_a_duplicate(user, user_client, buy):
    book = BookFactory()
    buy(user, book)
    assert _post(user_client, book, rating=5).status_code == 201

    response = _post(user_client, book, rating=1, text="changed my mind")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "duplicate"
    assert list(Review.objects.values_list("rating", "text")) == [(5, "Loved it")]
    assert _aggregates(book) == (Decimal("5.00"), 1)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"rating": 0},
        {"rating": 6},
        {"rating": "five"},
        {"rating": 3, "text": "x" * 5001},
        {"rating": None},
    ],
)
def test_invalid_review_is_rejected(user, user_client, buy, payload):
    book = BookFactory()
    buy(user, book)

    response = user_client.post(f"/api/books/{book.pk}/reviews/", payload, format="json")

    assert response.status_code == 400, response.content
    assert not Review.objects.exists()
    assert _aggregates(book) == (None, 0)


def test_anonymous_cannot_post(api_client):
    book = BookFactory()

    response = _post(api_client, book)

    assert response.status_code == 401
    assert not Review.objects.exists()


def test_review_of_unknown_or_removed_book_is_404(user, user_client, buy):
    book = BookFactory()
    buy(user, book)
    Book.objects.filter(pk=book.pk).update(is_active=False)

    assert _post(user_client, book).status_code == 404
    assert user_client.get(f"/api/books/{book.pk}/reviews/").status_code == 404
    assert _post(user_client, book.__class__(pk=999999)).status_code == 404
    assert not Review.objects.exists()


def test_anyone_reads_a_books_reviews_newest_first_paginated(api_client, buy):
    book, other_book = BookFactory(stock=50), BookFactory()
    readers = UserFactory.create_batch(3)
    for rating, reader in enumerate(readers, start=3):
        buy(reader, book)
        assert _post(client_for(reader), book, rating=rating).status_code == 201
    buy(readers[0], other_book)
    _post(client_for(readers[0]), other_book, rating=1)

    response = api_client.get(f"/api/books/{book.pk}/reviews/?page_size=2")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3 and body["next"] and body["previous"] is None
    assert [review["user"] for review in body["results"]] == [readers[2].username, readers[1].username]
    assert _aggregates(book) == (Decimal("4.00"), 3)


def test_owner_edits_and_the_average_follows(user, user_client, buy):
    book = BookFactory()
    other = UserFactory()
    for reader in (user, other):
        buy(reader, book)
    review_id = _post(user_client, book, rating=5).json()["id"]
    _post(client_for(other), book, rating=2)
    assert _aggregates(book) == (Decimal("3.50"), 2)

    response = user_client.patch(f"/api/reviews/{review_id}/", {"rating": 3}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["rating"] == 3 and response.json()["text"] == "Loved it"
    assert _aggregates(book) == (Decimal("2.50"), 2)
    response = user_client.patch(f"/api/reviews/{review_id}", {"text": ""}, format="json")
    assert response.status_code == 200 and response.json()["text"] == ""


def test_average_is_rounded_half_up_to_two_places(buy):
    book = BookFactory(stock=10)
    for rating in (5, 4, 4):
        reader = UserFactory()
        buy(reader, book)
        _post(client_for(reader), book, rating=rating)

    assert _aggregates(book) == (Decimal("4.33"), 3)


@pytest.mark.parametrize("who", ["other_customer", "staff"])
def test_only_the_owner_edits(user, user_client, buy, staff, who):
    book = BookFactory()
    buy(user, book)
    review_id = _post(user_client, book, rating=5).json()["id"]
    client = client_for(staff) if who == "staff" else client_for(UserFactory())

    response = client.patch(f"/api/reviews/{review_id}/", {"rating": 1, "text": "bad"}, format="json")

    assert response.status_code == 403, response.content
    assert Review.objects.get().rating == 5 and Review.objects.get().text == "Loved it"
    assert _aggregates(book) == (Decimal("5.00"), 1)


def test_invalid_edit_changes_nothing(user, user_client, buy):
    book = BookFactory()
    buy(user, book)
    review_id = _post(user_client, book, rating=5).json()["id"]

    response = user_client.patch(f"/api/reviews/{review_id}/", {"rating": 9}, format="json")

    assert response.status_code == 400
    assert Review.objects.get().rating == 5
    assert _aggregates(book) == (Decimal("5.00"), 1)


def test_anonymous_cannot_edit_or_delete(api_client, user, user_client, buy):
    book = BookFactory()
    buy(user, book)
    review_id = _post(user_client, book).json()["id"]

    assert api_client.patch(f"/api/reviews/{review_id}/", {"rating": 1}, format="json").status_code == 401
    assert api_client.delete(f"/api/reviews/{review_id}/").status_code == 401
    assert Review.objects.get().rating == 5 and Review.objects.get().deleted_at is None


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_owner_or_staff_soft_deletes(user, user_client, buy, staff, api_client, who):
    book = BookFactory()
    other = UserFactory()
    for reader in (user, other):
        buy(reader, book)
    review_id = _post(user_client, book, rating=5).json()["id"]
    _post(client_for(other), book, rating=2)
    client = user_client if who == "owner" else client_for(staff)

    response = client.delete(f"/api/reviews/{review_id}/")

    assert response.status_code == 204, response.content
    review = Review.objects.get(pk=review_id)
    assert review.deleted_at is not None
    assert review.deleted_by == (user if who == "owner" else staff)
    assert _aggregates(book) == (Decimal("2.00"), 1)
    listed = api_client.get(f"/api/books/{book.pk}/reviews/").json()
    assert listed["count"] == 1 and [r["rating"] for r in listed["results"]] == [2]
    assert user_client.patch(f"/api/reviews/{review_id}/", {"rating": 4}, format="json").status_code == 404
    assert client.delete(f"/api/reviews/{review_id}/").status_code == 404
    assert _aggregates(book) == (Decimal("2.00"), 1)


def test_deleting_the_last_review_clears_the_average(user, user_client, buy):
    book = BookFactory()
    buy(user, book)
    review_id = _post(user_client, book).json()["id"]

    assert user_client.delete(f"/api/reviews/{review_id}/").status_code == 204

    assert _aggregates(book) == (None, 0)


def test_another_customer_cannot_delete(user, user_client, buy):
    book = BookFactory()
    buy(user, book)
    review_id = _post(user_client, book).json()["id"]

    response = client_for(UserFactory()).delete(f"/api/reviews/{review_id}/")

    assert response.status_code == 403
    assert Review.objects.get().deleted_at is None
    assert _aggregates(book) == (Decimal("5.00"), 1)


def test_unknown_review_is_404(user_client):
    assert user_client.patch("/api/reviews/424242/", {"rating": 1}, format="json").status_code == 404
    assert user_client.delete("/api/reviews/424242/").status_code == 404
    assert user_client.get("/api/reviews/1/").status_code == 405


def test_owner_may_review_again_after_deleting_and_the_same_row_is_reused(user, user_client, buy):
    book = BookFactory()
    buy(user, book)
    first_id = _post(user_client, book, rating=1, text="meh").json()["id"]
    user_client.delete(f"/api/reviews/{first_id}/")

    response = _post(user_client, book, rating=4, text="Grew on me")

    assert response.status_code == 201, response.content
    assert response.json()["id"] == first_id and response.json()["rating"] == 4
    assert Review.objects.count() == 1
    assert _aggregates(book) == (Decimal("4.00"), 1)


def test_review_removed_by_a_moderator_cannot_be_reposted(user, user_client, buy, staff_client):
    book = BookFactory()
    buy(user, book)
    review_id = _post(user_client, book, rating=1, text="spam spam").json()["id"]
    assert staff_client.delete(f"/api/reviews/{review_id}/").status_code == 204

    response = _post(user_client, book, rating=5, text="spam again")

    assert response.status_code == 409 and response.json()["code"] == "duplicate"
    review = Review.objects.get()
    assert review.deleted_at is not None and review.text == "spam spam"
    assert _aggregates(book) == (None, 0)


def test_review_rules_hold_in_the_service_too(user, buy):
    """The rules live in the service, so the shop pages and the admin get them as well."""
    from core.errors import Duplicate
    from reviews.exceptions import NotPurchased
    from reviews.services import review_create

    book = BookFactory()
    with pytest.raises(NotPurchased):
        review_create(user=user, book_id=book.pk, rating=5)
    buy(user, book)
    review_create(user=user, book_id=book.pk, rating=5)
    with pytest.raises(Duplicate):
        review_create(user=user, book_id=book.pk, rating=3)
    assert Review.objects.get().rating == 5


@pytest.mark.parametrize("rating", [0, 6])
def test_database_refuses_a_rating_outside_1_to_5(user, buy, rating):
    from django.db import IntegrityError, transaction

    book = BookFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(user=user, book=book, rating=rating)

    assert not Review.objects.exists()


def test_database_refuses_two_rows_for_one_user_and_book(user):
    from django.db import IntegrityError, transaction

    book = BookFactory()
    Review.objects.create(user=user, book=book, rating=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(user=user, book=book, rating=4, deleted_at=None)

    assert Review.objects.count() == 1

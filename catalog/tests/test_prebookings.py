"""Pre-bookings: only for sold-out titles, one waiting per customer and title, owner cancels."""

import pytest
from django.db import IntegrityError, transaction

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book, PreBooking
from conftest import client_for

pytestmark = pytest.mark.django_db


def _prebook(client, book):
    return client.post("/api/prebooks/", {"book_id": book.pk}, format="json")


def test_prebook_a_sold_out_title(user, user_client):
    book = BookFactory(stock=0, title="Gone")

    response = _prebook(user_client, book)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "waiting" and body["book_id"] == book.pk and body["book"]["title"] == "Gone"
    assert body["notified_at"] is None and body["cancelled_at"] is None
    assert PreBooking.objects.get().user == user


def test_title_in_stock_cannot_be_prebooked(user_client):
    book = BookFactory(stock=2)

    response = _prebook(user_client, book)

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "in_stock"
    assert not PreBooking.objects.exists()


def test_one_waiting_prebooking_per_customer_and_title(user, user_client):
    book = BookFactory(stock=0)
    first = _prebook(user_client, book).json()

    response = _prebook(user_client, book)

    assert response.status_code == 409 and response.json()["code"] == "duplicate"
    assert list(PreBooking.objects.values_list("pk", flat=True)) == [first["id"]]
    other = client_for(UserFactory())
    assert _prebook(other, book).status_code == 201


def test_after_cancelling_a_customer_may_wait_again(user, user_client):
    book = BookFactory(stock=0)
    first = _prebook(user_client, book).json()
    assert user_client.delete(f"/api/prebooks/{first['id']}/").status_code == 204

    response = _prebook(user_client, book)

    assert response.status_code == 201
    assert sorted(PreBooking.objects.values_list("status", flat=True)) == ["cancelled", "waiting"]


def test_database_refuses_a_second_waiting_row(user):
    book = BookFactory(stock=0)
    PreBooking.objects.create(user=user, book=book)

    with pytest.raises(IntegrityError), transaction.atomic():
        PreBooking.objects.create(user=user, book=book)

    PreBooking.objects.create(user=user, book=book, status="cancelled", waiting=None)
    assert PreBooking.objects.count() == 2


def test_database_refuses_a_waiting_flag_that_contradicts_the_status(user):
    book = BookFactory(stock=0)

    with pytest.raises(IntegrityError), transaction.atomic():
        PreBooking.objects.create(user=user, book=book, status="notified", waiting=True)

    assert not PreBooking.objects.exists()


@pytest.mark.parametrize("book_state", ["unknown", "inactive"])
def test_only_catalog_books_can_be_prebooked(user_client, book_state):
    book = BookFactory(stock=0)
    if book_state == "inactive":
        Book.objects.filter(pk=book.pk).update(is_active=False)
    book_id = book.pk if book_state == "inactive" else book.pk + 1000

    response = user_client.post("/api/prebooks/", {"book_id": book_id}, format="json")

    assert response.status_code == 404
    assert not PreBooking.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"book_id": "abc"}, {"book_id": -1}])
def test_invalid_payload_is_400(user_client, payload):
    assert user_client.post("/api/prebooks/", payload, format="json").status_code == 400
    assert not PreBooking.objects.exists()


def test_owner_cancels(user, user_client):
    book = BookFactory(stock=0)
    prebooking_id = _prebook(user_client, book).json()["id"]

    response = user_client.delete(f"/api/prebooks/{prebooking_id}/")

    assert response.status_code == 204
    prebooking = PreBooking.objects.get()
    assert prebooking.status == "cancelled" and prebooking.cancelled_at and prebooking.waiting is None
    listed = user_client.get("/api/prebooks/").json()
    assert [item["status"] for item in listed["results"]] == ["cancelled"]
    assert user_client.delete(f"/api/prebooks/{prebooking_id}").status_code == 204
    assert PreBooking.objects.get().status == "cancelled"


def test_another_users_prebooking_is_not_found(user_client):
    book = BookFactory(stock=0)
    theirs = _prebook(client_for(UserFactory()), book).json()["id"]

    response = user_client.delete(f"/api/prebooks/{theirs}/")

    assert response.status_code == 404
    assert PreBooking.objects.get().status == "waiting"
    assert user_client.get("/api/prebooks/").json()["count"] == 0


def test_a_notified_prebooking_cannot_be_cancelled(user, user_client, staff_client):
    book = BookFactory(stock=0)
    prebooking_id = _prebook(user_client, book).json()["id"]
    staff_client.patch(f"/api/books/{book.pk}/stock/", {"stock": 1}, format="json")

    response = user_client.delete(f"/api/prebooks/{prebooking_id}/")

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert PreBooking.objects.get().status == "notified"


def test_anonymous_gets_401(api_client):
    book = BookFactory(stock=0)

    assert api_client.get("/api/prebooks/").status_code == 401
    assert _prebook(api_client, book).status_code == 401
    assert not PreBooking.objects.exists()

"""PATCH /api/books/{id}/stock/: staff set the counted stock; every change is a ledger row."""

import pytest
from django.db.models import Sum

from catalog.factories import BookFactory
from catalog.models import Book, StockMovement

pytestmark = pytest.mark.django_db


def ledger_total(book) -> int:
    return StockMovement.objects.filter(book=book).aggregate(total=Sum("delta"))["total"] or 0


def test_staff_sets_stock_and_a_movement_is_recorded(staff_client, staff):
    book = BookFactory(stock=4)

    response = staff_client.patch(
        f"/api/books/{book.pk}/stock/", {"stock": 9, "note": "stock-take"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["id"] == book.pk
    assert response.json()["stock"] == 9
    book.refresh_from_db()
    assert book.stock == 9
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor, movement.note) == (
        5,
        9,
        StockMovement.Reason.ADJUSTMENT,
        staff,
        "stock-take",
    )


def test_lowering_stock_records_a_negative_delta(staff_client):
    book = BookFactory(stock=4)

    response = staff_client.patch(f"/api/books/{book.pk}/stock", {"stock": 0}, format="json")

    assert response.status_code == 200, response.content
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.note) == (-4, 0, "")


def test_ledger_deltas_sum_to_the_stock_change(staff_client):
    book = BookFactory(stock=0)

    for count in [12, 7, 7, 30, 0, 3]:
        response = staff_client.patch(f"/api/books/{book.pk}/stock/", {"stock": count}, format="json")
        assert response.status_code == 200, response.content

    book.refresh_from_db()
    assert book.stock == 3
    assert ledger_total(book) == 3
    # Setting the count it already had records nothing.
    assert StockMovement.objects.filter(book=book).count() == 5
    last = StockMovement.objects.filter(book=book).order_by("-id").first()
    assert last.stock_after == 3


def test_stock_patch_is_measured_against_the_current_row(staff_client):
    """An order taken since the client read the book does not skew the recorded delta."""
    book = BookFactory(stock=10)
    Book.objects.filter(pk=book.pk).update(stock=8)

    response = staff_client.patch(f"/api/books/{book.pk}/stock/", {"stock": 10}, format="json")

    assert response.status_code == 200
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after) == (2, 10)


@pytest.mark.parametrize(
    "payload",
    [
        {"stock": -1},
        {"stock": "-3"},
        {"stock": "lots"},
        {"stock": 1.5},
        {"stock": None},
        {"stock": 2_000_000_001},
        {},
        {"note": "no count"},
        {"stock": 5, "note": "n" * 256},
    ],
)
def test_invalid_stock_update_is_400_and_records_nothing(staff_client, payload):
    book = BookFactory(stock=4)

    response = staff_client.patch(f"/api/books/{book.pk}/stock/", payload, format="json")

    assert response.status_code == 400
    assert set(response.json()) <= {"stock", "note"}
    book.refresh_from_db()
    assert book.stock == 4
    assert not StockMovement.objects.exists()


def test_customer_cannot_set_stock(user_client):
    book = BookFactory(stock=4)

    response = user_client.patch(f"/api/books/{book.pk}/stock/", {"stock": 9}, format="json")

    assert response.status_code == 403
    book.refresh_from_db()
    assert book.stock == 4
    assert not StockMovement.objects.exists()


def test_anonymous_cannot_set_stock(api_client):
    book = BookFactory(stock=4)

    response = api_client.patch(f"/api/books/{book.pk}/stock/", {"stock": 9}, format="json")

    assert response.status_code == 401
    book.refresh_from_db()
    assert book.stock == 4
    assert not StockMovement.objects.exists()


def test_unknown_book_is_404(staff_client):
    BookFactory()

    response = staff_client.patch("/api/books/999999/stock/", {"stock": 9}, format="json")

    assert response.status_code == 404
    assert not StockMovement.objects.exists()


def test_removed_book_is_404(staff_client):
    book = BookFactory(stock=4, is_active=False)

    response = staff_client.patch(f"/api/books/{book.pk}/stock/", {"stock": 9}, format="json")

    assert response.status_code == 404
    book.refresh_from_db()
    assert book.stock == 4
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_stock_endpoint_only_answers_patch(staff_client, method):
    book = BookFactory(stock=4)

    response = getattr(staff_client, method)(f"/api/books/{book.pk}/stock/", {"stock": 9}, format="json")

    assert response.status_code == 405
    book.refresh_from_db()
    assert book.stock == 4

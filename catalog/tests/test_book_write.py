"""POST/PUT/PATCH/DELETE /api/books/: staff only, validated, stock changes go through the ledger."""

from decimal import Decimal

import pytest

from catalog import services
from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book, StockMovement

pytestmark = pytest.mark.django_db


def new_book(**overrides) -> dict:
    return {
        "title": "The Name of the Rose",
        "author": "Umberto Eco",
        "isbn": "0-306-40615-2",
        "description": "Monks and a library.",
        "price": "12.5",
        "stock": 3,
        **overrides,
    }


def snapshot(book: Book) -> dict:
    """Everything a write could change, read fresh from the database."""
    values = Book.objects.filter(pk=book.pk).values().get()
    values.pop("updated_at")
    return values


# --- create -------------------------------------------------------------------------------------


def test_staff_creates_a_book(staff_client, staff):
    genre = GenreFactory(slug="mystery")

    response = staff_client.post("/api/books/", new_book(genre="mystery"), format="json")

    assert response.status_code == 201, response.content
    book = Book.objects.get()
    body = response.json()
    assert body["id"] == book.pk
    assert body["isbn"] == book.isbn == "9780306406157"
    assert body["price"] == "12.50"
    assert book.price == Decimal("12.50")
    assert (body["stock"], book.stock) == (3, 3)
    assert (body["genre"], book.genre) == ("mystery", genre)
    assert (body["avg_rating"], body["review_count"], body["cover_url"]) == (None, 0, None)
    assert book.is_active
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor) == (
        3,
        3,
        StockMovement.Reason.INITIAL,
        staff,
    )


def test_book_created_without_stock_has_none_and_no_ledger_row(staff_client):
    payload = new_book()
    del payload["stock"], payload["description"]

    response = staff_client.post("/api/books", payload, format="json")

    assert response.status_code == 201, response.content
    book = Book.objects.get()
    assert (book.stock, book.description, book.genre) == (0, "", None)
    assert not StockMovement.objects.exists()


def test_created_book_is_listed(staff_client, api_client):
    book_id = staff_client.post("/api/books/", new_book(), format="json").json()["id"]

    assert [book["id"] for book in api_client.get("/api/books/").json()["results"]] == [book_id]


@pytest.mark.parametrize(
    ("method", "status"),
    [("post", 403), ("put", 403), ("patch", 403), ("delete", 403)],
)
def test_customer_cannot_write_books(user_client, method, status):
    _assert_write_refused(user_client, method, status)


@pytest.mark.parametrize(
    ("method", "status"),
    [("post", 401), ("put", 401), ("patch", 401), ("delete", 401)],
)
def test_anonymous_cannot_write_books(api_client, method, status):
    _assert_write_refused(api_client, method, status)


def _assert_write_refused(client, method, status):
    book = BookFactory(stock=5)
    before = snapshot(book)
    url = "/api/books/" if method == "post" else f"/api/books/{book.pk}/"
    payload = new_book(isbn="978-0-8044-2957-3", stock=9, price="1.00")

    response = getattr(client, method)(url, payload, format="json")

    assert response.status_code == status
    assert Book.objects.count() == 1
    assert snapshot(book) == before
    assert not StockMovement.objects.exists()


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "isbn",
    [
        "0-306-40615-3",  # ISBN-10 checksum
        "978-0-306-40615-8",  # ISBN-13 checksum
        "030640615",  # 9 digits
        "97803064061570",  # 14 digits
        "978-0-306-40615-7-000",  # too long for the field
        "not an isbn",
        "",
    ],
)
def test_invalid_isbn_is_400(staff_client, isbn):
    response = staff_client.post("/api/books/", new_book(isbn=isbn), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["isbn"]
    assert not Book.objects.exists()
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize("isbn", ["9780306406157", "978-0-306-40615-7", "0306406152", "0-306-40615-2"])
def test_duplicate_isbn_in_any_form_is_400(staff_client, isbn):
    existing = BookFactory(isbn="9780306406157")

    response = staff_client.post("/api/books/", new_book(isbn=isbn), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["isbn"]
    assert list(Book.objects.all()) == [existing]
    assert not StockMovement.objects.exists()


def test_isbn_of_a_removed_book_is_still_taken(staff_client):
    BookFactory(isbn="9780306406157", is_active=False)

    response = staff_client.post("/api/books/", new_book(isbn="0-306-40615-2"), format="json")

    assert response.status_code == 400
    assert Book.objects.count() == 1


@pytest.mark.parametrize(
    "price",
    ["0", "0.00", "-1", "-0.01", "abc", "", None, "12.345", "0.001", "NaN", "Infinity", "100000000.00"],
)
def test_invalid_price_is_400(staff_client, price):
    response = staff_client.post("/api/books/", new_book(price=price), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["price"]
    assert not Book.objects.exists()


def test_smallest_price_is_accepted(staff_client):
    response = staff_client.post("/api/books/", new_book(price="0.01"), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["price"] == "0.01"


@pytest.mark.parametrize("stock", [-1, "-5", "many", 1.5, None, 2_000_000_001])
def test_invalid_stock_is_400(staff_client, stock):
    response = staff_client.post("/api/books/", new_book(stock=stock), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["stock"]
    assert not Book.objects.exists()
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (new_book(title=""), "title"),
        (new_book(author=""), "author"),
        (new_book(title="x" * 256), "title"),
        (new_book(genre="no-such-genre"), "genre"),
        ({k: v for k, v in new_book().items() if k != "isbn"}, "isbn"),
        ({k: v for k, v in new_book().items() if k != "price"}, "price"),
    ],
)
def test_missing_or_invalid_fields_are_400(staff_client, payload, field):
    response = staff_client.post("/api/books/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Book.objects.exists()


def test_read_only_fields_are_ignored_on_create(staff_client):
    payload = new_book(avg_rating="5.00", review_count=99, cover_url="http://evil.example/x.jpg")

    response = staff_client.post("/api/books/", payload, format="json")

    assert response.status_code == 201, response.content
    book = Book.objects.get()
    assert (book.avg_rating, book.review_count, book.cover.name) == (None, 0, "")


# --- update -------------------------------------------------------------------------------------


def test_staff_replaces_a_book_with_put(staff_client):
    genre = GenreFactory(slug="history")
    book = BookFactory(stock=4)

    response = staff_client.put(
        f"/api/books/{book.pk}/",
        {
            "title": "SPQR",
            "author": "Mary Beard",
            "isbn": "0-8044-2957-X",
            "description": "Rome.",
            "price": "20",
            "genre": "history",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    book.refresh_from_db()
    assert (book.title, book.author, book.isbn, book.description, book.price, book.genre) == (
        "SPQR",
        "Mary Beard",
        "9780804429573",
        "Rome.",
        Decimal("20.00"),
        genre,
    )
    assert response.json()["price"] == "20.00"
    assert response.json()["isbn"] == "9780804429573"
    # PUT without a stock value leaves the stock alone.
    assert book.stock == 4
    assert not StockMovement.objects.exists()


def test_staff_patches_one_field(staff_client):
    book = BookFactory(title="Old", price=Decimal("10.00"), stock=4)
    before = snapshot(book)

    response = staff_client.patch(f"/api/books/{book.pk}", {"price": "11.99"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["price"] == "11.99"
    assert snapshot(book) == {**before, "price": Decimal("11.99")}
    assert not StockMovement.objects.exists()


def test_patching_stock_through_the_book_writes_a_ledger_row(staff_client, staff):
    book = BookFactory(stock=4)

    response = staff_client.patch(f"/api/books/{book.pk}/", {"stock": 10}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["stock"] == 10
    book.refresh_from_db()
    assert book.stock == 10
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor) == (
        6,
        10,
        StockMovement.Reason.ADJUSTMENT,
        staff,
    )


def test_patching_the_same_stock_writes_no_ledger_row(staff_client):
    book = BookFactory(stock=4)

    response = staff_client.patch(f"/api/books/{book.pk}/", {"stock": 4}, format="json")

    assert response.status_code == 200
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{"price": "0"}, {"price": "-3"}, {"stock": -1}, {"isbn": "0-306-40615-3"}, {"title": ""}],
)
def test_invalid_patch_changes_nothing(staff_client, payload):
    book = BookFactory(stock=4)
    before = snapshot(book)

    response = staff_client.patch(f"/api/books/{book.pk}/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == list(payload)
    assert snapshot(book) == before
    assert not StockMovement.objects.exists()


def test_changing_isbn_to_another_books_isbn_is_400(staff_client):
    BookFactory(isbn="9780306406157")
    book = BookFactory(isbn="9780804429573", stock=2)
    before = snapshot(book)

    response = staff_client.patch(f"/api/books/{book.pk}/", {"isbn": "0306406152", "stock": 5}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["isbn"]
    assert snapshot(book) == before
    assert not StockMovement.objects.exists()


def test_keeping_a_books_own_isbn_is_fine(staff_client):
    book = BookFactory(isbn="9780306406157")

    response = staff_client.patch(f"/api/books/{book.pk}/", {"isbn": "0-306-40615-2"}, format="json")

    assert response.status_code == 200, response.content


def test_update_does_not_write_back_what_changed_since_the_book_was_read(staff):
    """A checkout, a review or a removal between reading the book and saving the edit must survive it."""
    book = BookFactory(stock=10)
    stale = Book.objects.get(pk=book.pk)
    services.stock_adjust(book_id=book.pk, delta=-3, reason=StockMovement.Reason.ORDER)
    Book.objects.filter(pk=book.pk).update(avg_rating=Decimal("4.00"), review_count=1, is_active=False)

    services.book_update(book=stale, actor=staff, title="Edited")

    book.refresh_from_db()
    assert book.title == "Edited"
    assert (book.stock, book.avg_rating, book.review_count, book.is_active) == (7, Decimal("4.00"), 1, False)
    assert [m.delta for m in StockMovement.objects.filter(book=book)] == [-3]


def test_setting_stock_on_a_stale_book_sets_the_requested_count(staff):
    book = BookFactory(stock=10)
    stale = Book.objects.get(pk=book.pk)
    services.stock_adjust(book_id=book.pk, delta=-3, reason=StockMovement.Reason.ORDER)

    services.book_update(book=stale, actor=staff, stock=10)

    book.refresh_from_db()
    assert book.stock == 10
    assert sum(StockMovement.objects.filter(book=book).values_list("delta", flat=True)) == 0


def test_update_of_unknown_book_is_404(staff_client):
    assert staff_client.patch("/api/books/999999/", {"title": "X"}, format="json").status_code == 404


# --- delete -------------------------------------------------------------------------------------


def test_staff_delete_removes_the_book_from_the_catalog_but_keeps_the_row(staff_client, api_client):
    book = BookFactory(stock=3)
    kept = BookFactory()

    response = staff_client.delete(f"/api/books/{book.pk}/")

    assert response.status_code == 204
    assert api_client.get(f"/api/books/{book.pk}/").status_code == 404
    assert [b["id"] for b in api_client.get("/api/books/").json()["results"]] == [kept.pk]
    book.refresh_from_db()
    assert book.is_active is False
    assert book.stock == 3
    assert not StockMovement.objects.exists()


def test_deleted_book_cannot_be_edited_or_deleted_again(staff_client):
    book = BookFactory(is_active=False, title="Gone")

    assert staff_client.patch(f"/api/books/{book.pk}/", {"title": "Back"}, format="json").status_code == 404
    assert staff_client.delete(f"/api/books/{book.pk}/").status_code == 404
    book.refresh_from_db()
    assert (book.title, book.is_active) == ("Gone", False)

"""A bad genre or book is refused with the same words whichever door it comes through: the staff API,
the Django admin and the CSV import all apply `catalog.validation`, and none of them saves anything."""

import io
from decimal import Decimal

import pytest

from catalog.book_import import books_import
from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book, Genre, StockMovement
from catalog.validation import MESSAGES

from .test_admin import form_data

pytestmark = pytest.mark.django_db

GOOD_BOOK = {
    "title": "Dune",
    "author": "Frank Herbert",
    "isbn": "9780306406157",
    "description": "",
    "price": "9.99",
    "stock": "3",
}
TAKEN_ISBN = "9781566199094"

BAD_BOOKS = [
    ({"isbn": "9780306406158"}, "isbn", MESSAGES["isbn"]),
    ({"isbn": TAKEN_ISBN}, "isbn", MESSAGES["isbn_taken"]),
    ({"price": "0"}, "price", MESSAGES["price"]),
    ({"price": "100000000"}, "price", MESSAGES["price"]),
    ({"price": "1.999"}, "price", MESSAGES["price_places"]),
    ({"stock": "-1"}, "stock", MESSAGES["stock"]),
    ({"title": "   "}, "title", MESSAGES["title"]),
    ({"author": "x" * 256}, "author", MESSAGES["text_too_long"]),
]


@pytest.fixture
def taken():
    return BookFactory(isbn=TAKEN_ISBN)


def _nothing_saved(taken):
    assert list(Book.objects.values_list("pk", flat=True)) == [taken.pk]
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize("change, field, message", BAD_BOOKS)
def test_api_refuses_a_bad_book(staff_client, taken, change, field, message):
    response = staff_client.post("/api/books/", {**GOOD_BOOK, **change}, format="json")

    assert response.status_code == 400
    assert response.json()[field] == [message]
    _nothing_saved(taken)


@pytest.mark.parametrize("change, field, message", BAD_BOOKS)
def test_admin_refuses_a_bad_book_with_the_same_words(admin_client, taken, change, field, message):
    page = admin_client.get("/admin/catalog/book/add/")

    response = admin_client.post("/admin/catalog/book/add/", form_data(page, **{**GOOD_BOOK, **change}))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    _nothing_saved(taken)


@pytest.mark.parametrize(
    "change, field, message", [bad for bad in BAD_BOOKS if bad[0].get("isbn") != TAKEN_ISBN]
)
def test_import_refuses_a_bad_book_with_the_same_words(taken, change, field, message):
    row = {**GOOD_BOOK, "genre": "", **change}
    header = "isbn,title,author,description,price,stock,genre"
    text = header + "\n" + ",".join(row[name] for name in header.split(",")) + "\n"

    report = books_import(file=io.StringIO(text, newline=""))

    assert report.errors == [(2, f"{field}: {message}")]
    _nothing_saved(taken)


def test_an_existing_isbn_in_the_import_updates_that_book_rather_than_clashing(taken):
    text = f"isbn,title,author,description,price,stock,genre\n{TAKEN_ISBN},New title,A,,5.00,,\n"

    report = books_import(file=io.StringIO(text, newline=""))

    assert (report.errors, report.updated) == ([], 1)
    taken.refresh_from_db()
    assert (taken.title, taken.price) == ("New title", Decimal("5.00"))


# --- genres ---------------------------------------------------------------------------------------


@pytest.fixture
def tree():
    fiction = GenreFactory(name="Fiction", slug="fiction")
    crime = GenreFactory(name="Crime", slug="crime", parent=fiction)
    return fiction, crime


def _bad_genres(fiction, crime):
    return [
        (fiction, {"parent": crime.pk}, "parent", MESSAGES["genre_parent"]),  # its own grandchild
        (crime, {"parent": crime.pk}, "parent", MESSAGES["genre_parent"]),  # itself
        (crime, {"slug": "fiction"}, "slug", MESSAGES["genre_slug_taken"]),
        (crime, {"slug": "Not A Slug"}, "slug", MESSAGES["genre_slug"]),
        (crime, {"name": " "}, "name", MESSAGES["genre_name"]),
    ]


@pytest.mark.parametrize("case", range(5))
def test_api_and_admin_refuse_the_same_bad_genre_with_the_same_words(staff_client, admin_client, tree, case):
    genre, change, field, message = _bad_genres(*tree)[case]
    before = list(Genre.objects.order_by("pk").values_list("name", "slug", "parent_id"))
    current = {"name": genre.name, "slug": genre.slug, "parent": genre.parent_id or ""}

    api = staff_client.patch(f"/api/genres/{genre.pk}/", change, format="json")
    page = admin_client.get(f"/admin/catalog/genre/{genre.pk}/change/")
    admin = admin_client.post(
        f"/admin/catalog/genre/{genre.pk}/change/", form_data(page, **{**current, **change})
    )

    assert api.status_code == 400 and api.json()[field] == [message]
    assert admin.status_code == 200 and admin.context["adminform"].form.errors[field] == [message]
    assert list(Genre.objects.order_by("pk").values_list("name", "slug", "parent_id")) == before


def test_admin_saves_a_good_genre_through_the_service(admin_client, tree):
    fiction, _ = tree
    page = admin_client.get("/admin/catalog/genre/add/")

    response = admin_client.post(
        "/admin/catalog/genre/add/", form_data(page, name=" Sea stories ", slug="sea", parent=fiction.pk)
    )

    assert response.status_code == 302
    assert Genre.objects.filter(name="Sea stories", slug="sea", parent=fiction).exists()

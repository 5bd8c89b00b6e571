"""`Book.genre_names`: the names a search finds a book by, kept in step by every door that files a book
under a genre or renames a genre (services, admin, API, import)."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.factories import StaffFactory
from catalog.factories import BookFactory, GenreFactory
from catalog.isbn import isbn13_from_prefix
from catalog.models import Book
from catalog.selectors import genre_names_by_id
from catalog.services import book_create, book_update, genre_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    fiction = genre_save(name="Fiction", slug="fiction")
    crime = genre_save(name="Crime", slug="crime", parent=fiction)
    mystery = genre_save(name="Mystery", slug="mystery", parent=crime)
    return {"fiction": fiction, "crime": crime, "mystery": mystery}


def _names(book) -> str:
    return Book.objects.values_list("genre_names", flat=True).get(pk=book.pk)


def test_names_from_the_top_genre_down(tree):
    assert genre_names_by_id()[tree["mystery"].pk] == "Fiction / Crime / Mystery"


def test_book_create_and_update_file_the_names(tree):
    book = book_create(
        title="A", author="B", isbn=isbn13_from_prefix("978000000001"), price="5", genre=tree["mystery"]
    )
    assert _names(book) == "Fiction / Crime / Mystery"

    book_update(book=book, genre=tree["fiction"])
    assert _names(book) == "Fiction"
    book_update(book=book, genre=None)
    assert _names(book) == ""


def test_renaming_or_moving_a_genre_refiles_the_books_below_it(tree):
    book = BookFactory(genre=tree["mystery"])
    other = BookFactory(genre=GenreFactory(name="Poetry", slug="poetry"))

    genre_save(genre=tree["crime"], name="Crime & Suspense", slug="crime", parent=tree["fiction"])
    assert _names(book) == "Fiction / Crime & Suspense / Mystery"

    genre_save(genre=tree["crime"], name="Crime & Suspense", slug="crime", parent=None)
    assert _names(book) == "Crime & Suspense / Mystery"
    assert _names(other) == "Poetry"


def test_admin_rename_refiles_the_books(tree, client):
    book = BookFactory(genre=tree["mystery"])
    client.force_login(StaffFactory(is_superuser=True))

    response = client.post(
        f"/admin/catalog/genre/{tree['fiction'].pk}/change/",
        {"name": "Novels", "slug": "fiction", "parent": ""},
    )

    assert response.status_code == 302
    assert _names(book) == "Novels / Crime / Mystery"


def test_import_files_the_names(tree, tmp_path):
    existing = BookFactory(isbn=isbn13_from_prefix("978000000002"), genre=None)
    path = tmp_path / "books.csv"
    path.write_text(
        "isbn,title,author,description,price,stock,genre\n"
        f"{isbn13_from_prefix('978000000003')},New,Ann,,5.00,1,mystery\n"
        f"{existing.isbn},{existing.title},{existing.author},,5.00,1,crime\n"
    )

    call_command("import_books", str(path), "--no-progress", stdout=StringIO())

    assert Book.objects.get(title="New").genre_names == "Fiction / Crime / Mystery"
    assert _names(existing) == "Fiction / Crime"


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_api_search_finds_a_book_by_its_genre(api_client, tree):
    BookFactory(title="Quiet Lake", genre=tree["mystery"])
    BookFactory(title="Loud River", genre=None, description="No genre at all.")

    response = api_client.get("/api/books/", {"search": "crime"})

    assert [book["title"] for book in response.json()["results"]] == ["Quiet Lake"]

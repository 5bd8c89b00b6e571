"""GET /api/books/{id}/related/ and `ordering=-bestselling` on /api/books/, and the catalog services that
store what the orders app computes (sales, co-purchases)."""

import pytest

from catalog.factories import BookFactory
from catalog.models import Book, BookRelation
from catalog.services import book_relations_replace, book_sales_set

pytestmark = pytest.mark.django_db


def test_related_lists_customers_also_bought_and_more_by_the_author(api_client):
    dune = BookFactory(title="Dune", author="Frank Herbert")
    messiah = BookFactory(title="Dune Messiah", author="Frank Herbert")
    emma = BookFactory(title="Emma", author="Jane Austen")
    persuasion = BookFactory(title="Persuasion", author="Jane Austen")
    book_relations_replace(relations={dune.pk: [(emma.pk, 2), (persuasion.pk, 7)]})

    response = api_client.get(f"/api/books/{dune.pk}/related/")

    assert response.status_code == 200
    body = response.json()
    assert [book["title"] for book in body["also_bought"]] == ["Persuasion", "Emma"]
    assert [book["id"] for book in body["by_author"]] == [messiah.pk]
    assert set(body["also_bought"][0]) >= {"id", "title", "author", "price", "stock", "cover_url"}
    assert api_client.get(f"/api/books/{dune.pk}/related").status_code == 200


def test_related_of_a_book_out_of_the_catalog_is_404(api_client):
    book = BookFactory()
    Book.objects.filter(pk=book.pk).update(is_active=False)

    for path in (f"/api/books/{book.pk}/related/", "/api/books/999999/related/", "/api/books/x/related/"):
        response = api_client.get(path)
        assert response.status_code == 404, path


def test_related_costs_three_queries(api_client, django_assert_num_queries):
    book = BookFactory(author="Same")
    others = [BookFactory(author="Same") for _ in range(4)]
    book_relations_replace(relations={book.pk: [(other.pk, 1) for other in others]})

    with django_assert_num_queries(3):  # the book, its co-purchases, its author's other books
        response = api_client.get(f"/api/books/{book.pk}/related/")

    assert len(response.json()["also_bought"]) == len(response.json()["by_author"]) == 4


def test_book_relations_replace_replaces_every_list_at_once():
    a, b, c = BookFactory(), BookFactory(), BookFactory()
    book_relations_replace(relations={a.pk: [(b.pk, 1)]})

    stored = book_relations_replace(relations={b.pk: [(c.pk, 3), (b.pk, 9)], c.pk: [(a.pk, 2)]})

    assert stored == 2  # a book is never related to itself
    assert sorted(BookRelation.objects.values_list("book_id", "related_id", "score")) == sorted(
        [(b.pk, c.pk, 3), (c.pk, a.pk, 2)]
    )


def test_bestselling_ordering_most_sold_first(api_client):
    few, many = BookFactory(title="Few"), BookFactory(title="Many")
    BookFactory(title="None")
    book_sales_set(units={few.pk: 2, many.pk: 9})

    most_first = api_client.get("/api/books/", {"ordering": "-bestselling"}).json()["results"]
    least_first = api_client.get("/api/books/", {"ordering": "bestselling"}).json()["results"]

    assert [book["title"] for book in most_first] == ["Many", "Few", "None"]
    assert [book["title"] for book in least_first] == ["None", "Few", "Many"]


def test_book_sales_set_writes_only_what_changed(django_assert_num_queries):
    a, b, c = BookFactory(), BookFactory(), BookFactory()
    book_sales_set(units={a.pk: 3, b.pk: 1})

    with django_assert_num_queries(4):  # the books that sold before, one UPDATE (in a savepoint: 2 more)
        changed = book_sales_set(units={a.pk: 3, b.pk: 1, c.pk: 1})
    assert changed == 1
    assert book_sales_set(units={a.pk: 3, b.pk: 1, c.pk: 1}) == 0
    assert book_sales_set(units={c.pk: 5}) == 3  # a and b sold nothing in the window any more
    assert dict(Book.objects.values_list("pk", "units_sold_30d")) == {a.pk: 0, b.pk: 0, c.pk: 5}

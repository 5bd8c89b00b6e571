"""Pages of /api/books/ and a book's /api/books/{id}/ are served from the "catalog" cache for
BOOK_LIST_CACHE_SECONDS under the catalog's version: a change through the services shows at once, one
around them within that time."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from catalog import cache_version, services
from catalog.factories import BookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.BOOK_LIST_CACHE_SECONDS = 30


def test_a_page_is_served_from_the_cache(cached, api_client, django_assert_num_queries):
    book = BookFactory(title="First")
    first = api_client.get("/api/books/")
    assert first.json()["count"] == 1
    BookFactory(title="Second")
    book.stock = 0
    book.save()

    with django_assert_num_queries(0):
        response = api_client.get("/api/books/")

    assert response.content == first.content and response["Content-Type"] == "application/json"
    cached_page = response.json()
    assert cached_page["count"] == 1 and cached_page["results"][0]["stock"] == 10
    assert api_client.get("/api/books/?page_size=5").json()["count"] == 2  # another page: fresh


def test_a_book_is_served_from_the_cache_until_a_service_changes_the_catalog(
    cached, api_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    book = BookFactory(stock=5, price=Decimal("10.00"))
    assert api_client.get(f"/api/books/{book.pk}/").json()["stock"] == 5
    type(book).objects.filter(pk=book.pk).update(stock=4)  # around the services: no new version

    with django_assert_num_queries(0):
        assert api_client.get(f"/api/books/{book.pk}/").json()["stock"] == 5

    with django_capture_on_commit_callbacks(execute=True):
        services.book_update(book=book, price=Decimal("12.50"))

    answer = api_client.get(f"/api/books/{book.pk}/").json()
    assert (answer["stock"], answer["price"]) == (4, "12.50")
    assert api_client.get("/api/books/999999/").status_code == 404


def test_a_change_made_in_another_process_shows_at_once(cached, api_client):
    book = BookFactory(stock=5)
    assert api_client.get(f"/api/books/{book.pk}/").json()["stock"] == 5
    type(book).objects.filter(pk=book.pk).update(stock=4)

    cache.set(cache_version.KEY, "another worker's change")  # as a service in another worker leaves it

    assert api_client.get(f"/api/books/{book.pk}/").json()["stock"] == 4


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_a_search_page_is_cached_like_any_other(cached, api_client):
    BookFactory(title="Dune")
    assert api_client.get("/api/books/?search=dune").json()["count"] == 1
    BookFactory(title="Dune Messiah")

    assert api_client.get("/api/books/?search=dune").json()["count"] == 1
    assert api_client.get("/api/books/?search=messiah").json()["count"] == 1


def test_invalid_queries_are_not_cached(cached, api_client):
    BookFactory()

    for _ in range(2):
        response = api_client.get("/api/books/?min_price=cheap")
        assert response.status_code == 400 and "min_price" in response.json()


def test_zero_turns_the_cache_off(settings, api_client):
    settings.BOOK_LIST_CACHE_SECONDS = 0
    BookFactory()
    assert api_client.get("/api/books/").json()["count"] == 1
    BookFactory()

    assert api_client.get("/api/books/").json()["count"] == 2


def test_filters_do_not_hide_a_book_asked_for_by_id(api_client):
    book = BookFactory(stock=0)

    assert api_client.get(f"/api/books/{book.pk}/?in_stock=true").status_code == 200

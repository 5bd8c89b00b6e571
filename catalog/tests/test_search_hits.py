"""A word search is paged from its hits (catalog.search.search_hits): one query finds the matches' ids and
their total, kept for SEARCH_CACHE_SECONDS under the search version (a change through the services shows
at once); the books on a page are read live."""

import pytest
from django.core.cache import caches

from catalog import services
from catalog.factories import BookFactory, GenreFactory
from catalog.isbn import isbn13_from_prefix
from catalog.models import Book
from catalog.search import MAX_HITS

pytestmark = pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only


@pytest.fixture
def cached(settings):
    settings.SEARCH_CACHE_SECONDS = 60


def _search(client, **params):
    response = client.get("/api/books/", {"search": "saga", **params})
    assert response.status_code == 200, response.content
    return response.json()


def _ids(page):
    return [book["id"] for book in page["results"]]


def test_pages_of_a_search_cover_every_match_once(api_client):
    matches = {BookFactory(description=f"A saga, part {n}").pk for n in range(45)}
    BookFactory(description="Something else")

    pages = [_search(api_client, page=n) for n in (1, 2, 3)]

    assert [page["count"] for page in pages] == [45, 45, 45]
    assert [len(page["results"]) for page in pages] == [20, 20, 5]
    seen = [pk for page in pages for pk in _ids(page)]
    assert len(seen) == 45 and set(seen) == matches
    assert pages[0]["next"] and pages[2]["next"] is None
    assert api_client.get("/api/books/", {"search": "saga", "page": 4}).status_code == 404


def test_pages_past_the_hits_kept_come_from_the_database(api_client):
    Book.objects.bulk_create(
        BookFactory.build(genre=None, description=f"Saga volume {n}") for n in range(MAX_HITS + 10)
    )

    # Sorted by title, every match is counted (relevance stops counting at MAX_HITS on MariaDB).
    last_kept = _search(api_client, page_size=100, page=MAX_HITS // 100, ordering="title")
    past = _search(api_client, page_size=100, page=MAX_HITS // 100 + 1, ordering="title")

    assert past["count"] == MAX_HITS + 10 and len(past["results"]) == 10
    assert "count_capped" not in past
    assert not set(_ids(past)) & set(_ids(last_kept))


@pytest.mark.mariadb
def test_by_relevance_a_search_counts_and_ranks_no_more_than_the_first_hits_found(api_client, client):
    created = Book.objects.bulk_create(
        BookFactory.build(genre=None, description=f"Saga volume {n}") for n in range(MAX_HITS + 10)
    )
    pages = MAX_HITS // 100

    listed = [_search(api_client, page_size=100, page=n) for n in range(1, pages + 1)]

    assert {(page["count"], page["count_capped"]) for page in listed} == {(MAX_HITS, True)}
    assert list(listed[0])[:2] == ["count", "count_capped"]
    seen = [pk for page in listed for pk in _ids(page)]
    # Ranked among the first found (in the order they were indexed): equally relevant, newest first.
    first_found = [book.pk for book in created[: MAX_HITS + 1]]
    assert seen == sorted(first_found, reverse=True)[:MAX_HITS]
    assert listed[-1]["next"] is None
    past = api_client.get("/api/books/", {"search": "saga", "page_size": 100, "page": pages + 1})
    assert past.status_code == 404
    shop_page = client.get("/", {"search": "saga"})
    assert "1,000+ books, page 1 of 50" in shop_page.content.decode()


@pytest.mark.mariadb
def test_by_relevance_a_search_under_the_limit_is_counted_and_ranked_whole(api_client):
    mentions = [BookFactory(description="saga " * times) for times in (1, 3, 1, 2)]

    page = _search(api_client)

    assert page["count"] == 4 and "count_capped" not in page
    # More mentions rank higher; equal relevance, newest first (as ORDER BY would).
    assert _ids(page) == [mentions[1].pk, mentions[3].pk, mentions[2].pk, mentions[0].pk]


def test_filters_and_ordering_make_their_own_hits(api_client):
    fantasy = GenreFactory(slug="fantasy")
    cheap = BookFactory(description="saga", price="5.00", genre=fantasy)
    dear = BookFactory(description="saga", price="50.00")

    assert _ids(_search(api_client, ordering="price")) == [cheap.pk, dear.pk]
    assert _ids(_search(api_client, ordering="-price")) == [dear.pk, cheap.pk]
    assert _ids(_search(api_client, genre="fantasy")) == [cheap.pk]
    assert _search(api_client, genre="no-such-genre") == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_cached_hits_serve_every_page_with_one_query(cached, api_client, django_assert_num_queries):
    for n in range(25):
        BookFactory(description=f"saga {n}")
    first = _search(api_client)

    with django_assert_num_queries(1):  # the page's books; the hits come from the cache
        second = _search(api_client, page=2)
    with django_assert_num_queries(1):
        again = _search(api_client, page_size=5, utm_source="newsletter")

    assert first["count"] == second["count"] == again["count"] == 25
    assert _ids(again) == _ids(first)[:5]


def _saga_added(n: int, *, title: str, stock: int) -> Book:
    """A book added through the catalog's services, as the API and the admin add one."""
    return services.book_create(
        title=title, author="An author", isbn=isbn13_from_prefix(f"978{n:09d}"), price="10.00", stock=stock
    )


def test_cached_hits_follow_every_change_made_through_the_services(cached, api_client):
    kept = _saga_added(1, title="Saga", stock=3)
    sold_out = _saga_added(2, title="Saga", stock=1)
    removed = _saga_added(3, title="Saga", stock=1)
    assert _search(api_client)["count"] == 3

    added = _saga_added(4, title="A new saga", stock=1)
    services.book_set_stock(book_id=sold_out.pk, stock=0)
    services.book_deactivate(book=removed)

    assert set(_ids(_search(api_client))) == {kept.pk, sold_out.pk, added.pk}
    assert _ids(_search(api_client, in_stock="true")) == [added.pk, kept.pk]


def test_a_sale_that_leaves_a_book_in_stock_keeps_the_hits(cached, api_client, django_assert_num_queries):
    book = _saga_added(1, title="Saga", stock=3)
    assert _search(api_client, in_stock="true")["count"] == 1

    services.book_set_stock(book_id=book.pk, stock=2)

    with django_assert_num_queries(1):  # the page's books, read live; the hits from the cache
        page = _search(api_client, in_stock="true")
    assert [(found["id"], found["stock"]) for found in page["results"]] == [(book.pk, 2)]


def test_cached_hits_lag_for_writes_around_the_services_but_books_are_read_live(cached, api_client):
    kept = BookFactory(description="saga", stock=3)
    removed = BookFactory(description="saga")
    assert _search(api_client)["count"] == 2

    BookFactory(description="a new saga")
    Book.objects.filter(pk=kept.pk).update(stock=0, price="9.99")
    Book.objects.filter(pk=removed.pk).update(is_active=False)
    page = _search(api_client)

    assert page["count"] == 2  # the hits as found a moment ago: the new title is not there yet
    assert [(book["id"], book["stock"], book["price"]) for book in page["results"]] == [(kept.pk, 0, "9.99")]
    caches["search"].clear()
    assert _search(api_client)["count"] == 2  # found again: the new title, without the removed one


def test_zero_seconds_searches_afresh_every_time(api_client):
    BookFactory(description="saga")
    assert _search(api_client)["count"] == 1

    BookFactory(description="saga")

    assert _search(api_client)["count"] == 2


def test_the_shop_page_pages_searches_the_same_way(client):
    for n in range(30):
        BookFactory(title=f"Saga {n}")

    first = client.get("/", {"search": "saga"}).context["page_obj"]
    second = client.get("/", {"search": "saga", "page": 2}).context["page_obj"]

    assert first.paginator.count == 30
    assert len({book.pk for book in [*first.object_list, *second.object_list]}) == 30

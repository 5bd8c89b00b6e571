"""Lists, details and the book page cost a fixed number of queries whatever their size: no N+1 anywhere."""

import pytest
from django.core.cache import caches

from catalog.factories import BookFactory, GenreFactory
from catalog.isbn import isbn13_from_prefix
from catalog.models import Book, PreBooking, WishlistItem
from catalog.selectors import NEWEST_FIRST, book_queryset, books_newest_first
from core.pagination import CachedCountPaginator

pytestmark = pytest.mark.django_db

PAGE_SIZES = [1, 7, 25]


@pytest.fixture
def catalog():
    genres = GenreFactory.create_batch(5)
    return [BookFactory(genre=genres[n % 5], stock=n % 3) for n in range(30)]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_book_list(api_client, catalog, django_assert_num_queries, page_size):
    with django_assert_num_queries(2):  # the count and the page (genres joined in)
        response = api_client.get("/api/books/", {"page_size": page_size})

    assert len(response.json()["results"]) == page_size


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_book_list_searched_and_filtered(api_client, catalog, django_assert_num_queries, page_size):
    with django_assert_num_queries(2):  # the hits (ids in order and their total), the page's rows
        response = api_client.get(
            "/api/books/",
            {"page_size": page_size, "search": "book", "in_stock": "true", "ordering": "-price"},
        )

    assert response.status_code == 200 and len(response.json()["results"]) == min(page_size, 20)


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_book_search_by_relevance(api_client, catalog, django_assert_num_queries, page_size):
    with django_assert_num_queries(2):  # the hits (ids by relevance and their total), the page's rows
        response = api_client.get("/api/books/", {"page_size": page_size, "search": "book number"})

    assert len(response.json()["results"]) == min(page_size, 30)


def test_book_detail(api_client, catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_client.get(f"/api/books/{catalog[0].pk}/")

    assert response.json()["genre"] == catalog[0].genre.slug


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_wishlist_and_prebooking_lists(user, user_client, catalog, django_assert_num_queries, page_size):
    WishlistItem.objects.bulk_create(WishlistItem(user=user, book=book) for book in catalog)
    PreBooking.objects.bulk_create(PreBooking(user=user, book=book) for book in catalog)

    with django_assert_num_queries(3):  # the user behind the token, the count, the page
        wishlist = user_client.get("/api/wishlist/", {"page_size": page_size})
    with django_assert_num_queries(3):
        prebookings = user_client.get("/api/prebooks/", {"page_size": page_size})

    assert len(wishlist.json()["results"]) == len(prebookings.json()["results"]) == page_size


@pytest.fixture
def large_list() -> None:
    """Ten books more than a list counts exactly (caches start empty: conftest's _fresh_cache)."""
    limit = CachedCountPaginator.EXACT_COUNT_LIMIT
    Book.objects.bulk_create(
        Book(title=f"Bulk {n}", author="A", isbn=isbn13_from_prefix(f"979{n:09d}"), price=1, stock=n % 2)
        for n in range(limit + 10)
    )


def test_large_counts_are_cached_and_small_ones_exact(large_list, django_assert_num_queries):
    limit = CachedCountPaginator.EXACT_COUNT_LIMIT

    with django_assert_num_queries(2):  # the capped count reaches the limit, so the full count runs
        assert CachedCountPaginator(book_queryset(), 20).count == limit + 10
    Book.objects.filter(pk=Book.objects.first().pk).update(is_active=False)
    with django_assert_num_queries(0):  # served from the cache, lagging by at most its lifetime
        assert CachedCountPaginator(book_queryset(), 20).count == limit + 10
    small = book_queryset().filter(title__startswith="Bulk 1", stock=0)
    expected = small.count()
    with django_assert_num_queries(1):  # a small result is counted exactly and never cached
        assert CachedCountPaginator(small, 20).count == expected
    small.update(stock=5)
    with django_assert_num_queries(1):
        assert CachedCountPaginator(small, 20).count == 0
    assert CachedCountPaginator(book_queryset().none(), 20).count == 0


def test_the_browsed_catalog_is_paged_by_its_compiled_query_and_its_count_kept(
    large_list, django_assert_num_queries
):
    """core.pagination.CompiledList: the pages the queryset would give; the large count kept by name."""
    limit = CachedCountPaginator.EXACT_COUNT_LIMIT
    newest = list(book_queryset().order_by(*NEWEST_FIRST).values_list("pk", flat=True))

    with django_assert_num_queries(3):  # the capped count, the full count, the page
        paginator = CachedCountPaginator(books_newest_first(), 20)
        assert [book.pk for book in paginator.page(2)] == newest[20:40]
    assert paginator.count == limit + 10
    Book.objects.filter(pk=newest[0]).update(is_active=False)
    with django_assert_num_queries(1):  # the page only: the count is kept, lagging as any list's
        paginator = CachedCountPaginator(books_newest_first(), 20)
        last = paginator.page(paginator.num_pages)
    assert [book.pk for book in last] == newest[(paginator.num_pages - 1) * 20 + 1 :]  # read live


def test_a_new_process_takes_a_large_count_from_the_shared_cache(large_list, django_assert_num_queries):
    """A new or recycled worker (its own cache empty) does not count every row again: the count another
    process made is shared, and lags by no more than it did there."""
    limit = CachedCountPaginator.EXACT_COUNT_LIMIT
    assert CachedCountPaginator(book_queryset(), 20).count == limit + 10
    Book.objects.filter(pk=Book.objects.first().pk).update(is_active=False)

    caches["catalog"].clear()  # another process
    with django_assert_num_queries(1):  # the capped count only: the full count is the shared one
        assert CachedCountPaginator(book_queryset(), 20).count == limit + 10
    with django_assert_num_queries(0):  # and now its own
        assert CachedCountPaginator(book_queryset(), 20).count == limit + 10

    caches["catalog"].clear()
    caches["search"].clear()  # both expired: counted afresh
    with django_assert_num_queries(2):
        assert CachedCountPaginator(book_queryset(), 20).count == limit + 9


@pytest.mark.parametrize("items", [1, 25])
def test_wishlist_page(client, user, catalog, django_assert_num_queries, items):
    WishlistItem.objects.bulk_create(WishlistItem(user=user, book=book) for book in catalog[:items])
    client.force_login(user)

    with django_assert_num_queries(5):  # session, user, cart count; the count, the page (books joined in)
        response = client.get("/wishlist/")

    assert len(response.context["items"]) == min(items, 20)


@pytest.mark.parametrize("items", [1, 25])
def test_notify_me_page(client, user, catalog, django_assert_num_queries, items):
    PreBooking.objects.bulk_create(PreBooking(user=user, book=book) for book in catalog[:items])
    client.force_login(user)

    with django_assert_num_queries(5):  # session, user, cart count; the count, the page (books joined in)
        response = client.get("/notify-me/")

    assert len(response.context["prebookings"]) == min(items, 20)


@pytest.mark.parametrize("depth", [0, 2])
def test_genre_page(client, catalog, django_assert_num_queries, depth):
    # The filter's genre and the genres below it (one query however deep), the count, the genre tree
    # (which also names the genre page's heading and breadcrumbs), the page (genres joined in).
    genre, below = catalog[0].genre, []
    for _ in range(depth):
        below.append(BookFactory(genre=GenreFactory(parent=below[-1].genre if below else genre)))
    with django_assert_num_queries(4):
        response = client.get("/", {"genre": genre.slug})

    assert response.context["genre"] == genre
    assert {book.pk for book in below} <= {book.pk for book in response.context["books"]}

"""GET /api/books/ and /api/books/{id}/: search, filters, ordering, pagination and the book's shape."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.factories import BookFactory, GenreFactory
from catalog.filters import BookFilter
from catalog.models import Book
from catalog.selectors import book_queryset

pytestmark = pytest.mark.django_db

BOOK_FIELDS = {
    "id",
    "title",
    "author",
    "isbn",
    "description",
    "price",
    "stock",
    "genre",
    "tax_class",
    "cover_url",
    "avg_rating",
    "review_count",
    "created_at",
}


def listed_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [book["id"] for book in response.json()["results"]]


def ids(*books) -> list[int]:
    return [book.pk for book in books]


# --- search -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
@pytest.mark.parametrize(
    "text",
    ["Dune", "dune", "herbert", "Frank Herbert", "spice", "desert planet", "Dune Herbert spice"],
)
def test_search_matches_title_author_and_description(api_client, text):
    dune = BookFactory(title="Dune", author="Frank Herbert", description="Spice on a desert planet.")
    BookFactory(title="Emma", author="Jane Austen", description="Matchmaking in Highbury.")

    assert listed_ids(api_client.get("/api/books/", {"search": text})) == ids(dune)


def test_search_words_must_all_match(api_client):
    BookFactory(title="Dune", author="Frank Herbert")
    BookFactory(title="Emma", author="Jane Austen")

    assert listed_ids(api_client.get("/api/books/", {"search": "Dune Austen"})) == []


@pytest.mark.parametrize(
    "text",
    ["9780306406157", "978-0-306-40615-7", "978 0 306 40615 7", "0306406152", "0-306-40615-2"],
)
def test_search_by_isbn10_or_isbn13_finds_the_book_exactly(api_client, text):
    book = BookFactory(isbn="9780306406157")
    # Its digits appear in another book's description: an ISBN search is an exact lookup, not a word match.
    BookFactory(description="See also 9780306406157 and 0306406152.")

    assert listed_ids(api_client.get("/api/books/", {"search": text})) == ids(book)


def test_search_by_isbn10_with_x_check_digit(api_client):
    book = BookFactory(isbn="9780804429573")

    assert listed_ids(api_client.get("/api/books/", {"search": "0-8044-2957-x"})) == ids(book)


def test_blank_search_lists_everything(api_client):
    books = BookFactory.create_batch(2)

    assert sorted(listed_ids(api_client.get("/api/books/", {"search": "   "}))) == sorted(ids(*books))


def test_search_without_match_is_an_empty_page(api_client):
    BookFactory(title="Dune")

    response = api_client.get("/api/books/", {"search": "nothing like this"})

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


# --- filters ------------------------------------------------------------------------------------


def test_genre_filter_includes_sub_genres_three_levels_deep(api_client):
    fiction = GenreFactory(slug="fiction")
    crime = GenreFactory(slug="crime", parent=fiction)
    noir = GenreFactory(slug="noir", parent=crime)
    nordic_noir = GenreFactory(slug="nordic-noir", parent=noir)
    poetry = GenreFactory(slug="poetry")
    novel = BookFactory(genre=fiction)
    whodunit = BookFactory(genre=crime)
    hardboiled = BookFactory(genre=noir)
    millennium = BookFactory(genre=nordic_noir)
    BookFactory(genre=poetry)
    BookFactory(genre=None)

    def by_genre(slug):
        return sorted(listed_ids(api_client.get("/api/books/", {"genre": slug})))

    assert by_genre("fiction") == sorted(ids(novel, whodunit, hardboiled, millennium))
    assert by_genre("crime") == sorted(ids(whodunit, hardboiled, millennium))
    assert by_genre("noir") == sorted(ids(hardboiled, millennium))
    assert by_genre("nordic-noir") == ids(millennium)


def test_unknown_genre_slug_is_an_empty_list(api_client):
    BookFactory(genre=GenreFactory(slug="fiction"))

    response = api_client.get("/api/books/", {"genre": "no-such-genre"})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_author_filter_matches_part_of_the_name_in_any_case(api_client):
    austen = BookFactory(author="Jane Austen")
    BookFactory(author="Frank Herbert")

    assert listed_ids(api_client.get("/api/books/", {"author": "austen"})) == ids(austen)


def test_price_range_filters_are_inclusive(api_client):
    cheap = BookFactory(price=Decimal("5.00"))
    middle = BookFactory(price=Decimal("10.00"))
    dear = BookFactory(price=Decimal("20.00"))

    def by_price(**params):
        return sorted(listed_ids(api_client.get("/api/books/", params)))

    assert by_price(min_price="10") == sorted(ids(middle, dear))
    assert by_price(max_price="10.00") == sorted(ids(cheap, middle))
    assert by_price(min_price="5.01", max_price="19.99") == ids(middle)
    assert by_price(min_price="20.01") == []
    assert by_price(min_price="0") == sorted(ids(cheap, middle, dear))


@pytest.mark.parametrize(
    "params",
    [
        {"min_price": "abc"},
        {"max_price": "ten"},
        {"min_price": "-1"},
        {"max_price": "NaN"},
        {"min_price": "Infinity"},
        {"max_price": "1e400"},
        {"min_price": "12.345"},
    ],
)
def test_invalid_price_filter_is_400(api_client, params):
    BookFactory()

    response = api_client.get("/api/books/", params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_in_stock_filter(api_client):
    available = BookFactory(stock=3)
    sold_out = BookFactory(stock=0)

    assert listed_ids(api_client.get("/api/books/", {"in_stock": "true"})) == ids(available)
    assert listed_ids(api_client.get("/api/books/", {"in_stock": "false"})) == ids(sold_out)


@pytest.mark.parametrize("value", ["maybe", "yes", "2", "truee", "1", "True"])
def test_invalid_in_stock_value_is_400(api_client, value):
    BookFactory(stock=0)
    BookFactory(stock=1)

    response = api_client.get("/api/books/", {"in_stock": value})

    assert response.status_code == 400
    assert "in_stock" in response.json()


def test_filters_combine(api_client):
    crime = GenreFactory(slug="crime")
    wanted = BookFactory(genre=crime, author="Agatha Christie", price=Decimal("8.00"), stock=1)
    BookFactory(genre=crime, author="Agatha Christie", price=Decimal("8.00"), stock=0)
    BookFactory(genre=crime, author="Agatha Christie", price=Decimal("30.00"), stock=1)
    BookFactory(genre=crime, author="Ruth Rendell", price=Decimal("8.00"), stock=1)
    BookFactory(author="Agatha Christie", price=Decimal("8.00"), stock=1)

    response = api_client.get(
        "/api/books/", {"genre": "crime", "author": "christie", "max_price": "10", "in_stock": "true"}
    )

    assert listed_ids(response) == ids(wanted)


@pytest.mark.parametrize(
    "params",
    [{"genre": "g" * 121}, {"search": "s" * 201}, {"author": "a" * 256}],
    ids=["genre", "search", "author"],
)
def test_overlong_filter_values_are_400(api_client, params):
    BookFactory()

    response = api_client.get("/api/books/", params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


# --- ordering -----------------------------------------------------------------------------------


@pytest.fixture
def ordered_books():
    """Three books whose order differs by every sort key (so each assertion tests its own key)."""
    now = timezone.now()
    specs = [
        # title, price, avg_rating, created
        ("Beta", "30.00", "2.50", now - timedelta(days=1)),
        ("Alpha", "20.00", "4.75", now - timedelta(days=3)),
        ("Gamma", "10.00", "3.00", now - timedelta(days=2)),
    ]
    books = {}
    for title, price, rating, created_at in specs:
        book = BookFactory(title=title, price=Decimal(price), avg_rating=Decimal(rating), review_count=4)
        Book.objects.filter(pk=book.pk).update(created_at=created_at)
        books[title] = book
    return books


@pytest.mark.parametrize(
    ("ordering", "titles"),
    [
        ("price", ["Gamma", "Alpha", "Beta"]),
        ("-price", ["Beta", "Alpha", "Gamma"]),
        ("title", ["Alpha", "Beta", "Gamma"]),
        ("-title", ["Gamma", "Beta", "Alpha"]),
        ("created_at", ["Alpha", "Gamma", "Beta"]),
        ("-created_at", ["Beta", "Gamma", "Alpha"]),
        ("avg_rating", ["Beta", "Gamma", "Alpha"]),
        ("-avg_rating", ["Alpha", "Gamma", "Beta"]),
    ],
)
def test_ordering(api_client, ordered_books, ordering, titles):
    response = api_client.get("/api/books/", {"ordering": ordering})

    assert response.status_code == 200
    assert [book["title"] for book in response.json()["results"]] == titles


def test_unrated_books_come_last_when_best_rated_come_first(api_client, ordered_books):
    unrated = BookFactory(title="Delta", avg_rating=None)

    response = api_client.get("/api/books/", {"ordering": "-avg_rating"})

    assert [book["title"] for book in response.json()["results"]] == ["Alpha", "Gamma", "Beta", "Delta"]
    assert response.json()["results"][-1]["id"] == unrated.pk


def test_default_order_is_newest_first(api_client, ordered_books):
    response = api_client.get("/api/books/")

    assert [book["title"] for book in response.json()["results"]] == ["Beta", "Gamma", "Alpha"]


def test_the_default_order_is_the_same_with_or_without_a_filter_given(api_client):
    books = BookFactory.create_batch(4, genre=None)
    Book.objects.update(created_at=timezone.now())  # added in the same instant: the id decides

    plain = listed_ids(api_client.get("/api/books/", {"page": 1}))  # core.pagination.CompiledList
    filtered = listed_ids(api_client.get("/api/books/", {"author": ""}))  # through the filter set
    second_plain = api_client.get("/api/books/", {"page": 2, "page_size": 3}).json()
    second_filtered = api_client.get("/api/books/", {"page": 2, "page_size": 3, "author": ""}).json()

    assert plain == filtered == sorted(ids(*books), reverse=True)
    assert second_plain["count"] == second_filtered["count"] == 4
    assert [book["id"] for book in second_plain["results"]] == [min(ids(*books))]
    assert second_plain["results"] == second_filtered["results"]


def test_an_empty_catalog_lists_one_empty_page(api_client):
    BookFactory(is_active=False)

    response = api_client.get("/api/books/")

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert api_client.get("/api/books/", {"page": 2}).status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "lighthouse",
        "the LIGHTHOUSE keeper",
        "",
        "   ",
        "Oz",
        "nothing-matches",
        "978-0-306-40615-7",
        "x" * 201,
        "a\x00b",
    ],
)
@pytest.mark.django_db(transaction=True)  # MariaDB's FULLTEXT index shows committed rows only
def test_a_search_alone_answers_as_the_filter_set_does(api_client, text):
    """`?search=` alone skips building the filter set (BookFilter.without_the_set); with another filter given
    (an empty one filters nothing) it goes through the set. Both answer alike, refusals included."""
    BookFactory(title="The Lighthouse Keeper", genre=None)
    BookFactory(title="Lighthouse Stories", genre=None)
    BookFactory(title="Oz and Ends", genre=None)
    BookFactory(title="Other", isbn="9780306406157", genre=None)

    alone = api_client.get("/api/books/", {"search": text})
    through_the_set = api_client.get("/api/books/", {"search": text, "author": ""})

    assert alone.status_code == through_the_set.status_code
    assert alone.json() == through_the_set.json()
    assert alone.status_code == (400 if text in ("x" * 201, "a\x00b") else 200)
    expected_count = {"lighthouse": 2, "": 4, "   ": 4, "nothing-matches": 0, "978-0-306-40615-7": 1}
    if text in expected_count:
        assert alone.json()["count"] == expected_count[text]


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"genre": "fiction"}, 2),  # its sub-genre's book too
        ({"genre": " crime "}, 1),
        ({"genre": "no-such-genre"}, 0),
        ({"genre": ""}, 4),
        ({"genre": "x" * 121}, None),  # too long: 400
        ({"genre": "fiction", "search": "lighthouse"}, 2),
        ({"genre": "crime", "search": "lighthouse keeper"}, 1),
        ({"genre": "fiction", "search": "x" * 201}, None),
        ({"genre": "no-such-genre", "search": "lighthouse"}, 0),
        ({"genre": "fiction", "page": "2", "page_size": "1"}, 2),
    ],
)
@pytest.mark.django_db(transaction=True)  # MariaDB's FULLTEXT index shows committed rows only
def test_a_genre_with_or_without_a_search_answers_as_the_filter_set_does(api_client, params, count):
    """`?genre=` (and `?search=`) alone skip building the filter set too (BookFilter.without_the_set)."""
    fiction = GenreFactory(slug="fiction")
    crime = GenreFactory(slug="crime", parent=fiction)
    BookFactory(title="The Lighthouse Keeper", genre=crime)
    BookFactory(title="Lighthouse Stories", genre=fiction)
    BookFactory(title="Lighthouse Elsewhere", genre=GenreFactory(slug="poetry"))
    BookFactory(title="Other", genre=None)

    alone = api_client.get("/api/books/", params)
    through_the_set = api_client.get("/api/books/", {**params, "author": ""})

    assert alone.status_code == through_the_set.status_code == (200 if count is not None else 400)
    if count is None:
        assert alone.json() == through_the_set.json()
    else:  # the page links differ by the empty author only
        assert alone.json()["count"] == through_the_set.json()["count"] == count
        assert alone.json()["results"] == through_the_set.json()["results"]


def test_a_search_alone_uses_the_filter_sets_own_search():
    """A filter set that searches another way (the bench's naive `icontains` one) is honoured by the
    short path too."""

    class TitleOnly(BookFilter):
        @staticmethod
        def searched(queryset, text):
            return queryset.filter(title=text)

    wanted = BookFactory(title="Exactly this", genre=None)
    BookFactory(title="Exactly this and more", genre=None)

    assert list(TitleOnly.without_the_set(book_queryset(), {"search": "Exactly this"})) == [wanted]


def test_equal_sort_keys_page_stably_by_id(api_client):
    books = BookFactory.create_batch(6, price=Decimal("10.00"), genre=None)

    first = listed_ids(api_client.get("/api/books/", {"ordering": "price", "page_size": 3}))
    second = listed_ids(api_client.get("/api/books/", {"ordering": "price", "page_size": 3, "page": 2}))

    assert first + second == ids(*books)


@pytest.mark.parametrize("ordering", ["stock", "-isbn", "random", "price;drop", "?"])
def test_invalid_ordering_is_400(api_client, ordering):
    BookFactory()

    response = api_client.get("/api/books/", {"ordering": ordering})

    assert response.status_code == 400
    assert "ordering" in response.json()


# --- pagination ---------------------------------------------------------------------------------


def test_list_is_paginated_twenty_per_page_by_default(api_client):
    BookFactory.create_batch(25, genre=None)

    first = api_client.get("/api/books/")
    second = api_client.get(first.json()["next"])

    assert first.status_code == 200
    assert set(first.json()) == {"count", "next", "previous", "results"}
    assert first.json()["count"] == 25
    assert len(first.json()["results"]) == 20
    assert first.json()["previous"] is None
    assert second.status_code == 200
    assert len(second.json()["results"]) == 5
    assert second.json()["next"] is None
    assert second.json()["previous"] is not None
    assert set(listed_ids(first)) | set(listed_ids(second)) == set(Book.objects.values_list("pk", flat=True))


def test_page_size_is_honoured(api_client):
    BookFactory.create_batch(7, genre=None)

    response = api_client.get("/api/books/", {"page_size": 5, "page": 2})

    assert response.status_code == 200
    assert response.json()["count"] == 7
    assert len(response.json()["results"]) == 2


def test_page_size_is_capped_at_one_hundred(api_client):
    BookFactory.create_batch(101, genre=None)

    response = api_client.get("/api/books/", {"page_size": 1000})

    assert response.status_code == 200
    assert response.json()["count"] == 101
    assert len(response.json()["results"]) == 100
    assert response.json()["next"] is not None


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc"])
def test_page_out_of_range_is_404(api_client, page):
    BookFactory.create_batch(3, genre=None)

    response = api_client.get("/api/books/", {"page": page, "page_size": 2})

    assert response.status_code == 404


def test_list_answers_without_trailing_slash(api_client):
    book = BookFactory()

    assert listed_ids(api_client.get("/api/books")) == ids(book)


# --- inactive books -----------------------------------------------------------------------------


def test_inactive_books_are_never_listed(api_client):
    crime = GenreFactory(slug="crime")
    active = BookFactory(genre=crime, title="Kept", isbn="9780306406157", stock=2)
    BookFactory(genre=crime, title="Removed", isbn="9780804429573", stock=2, is_active=False)

    assert listed_ids(api_client.get("/api/books/")) == ids(active)
    assert listed_ids(api_client.get("/api/books/", {"search": "Removed"})) == []
    assert listed_ids(api_client.get("/api/books/", {"search": "0-8044-2957-X"})) == []
    assert listed_ids(api_client.get("/api/books/", {"genre": "crime"})) == ids(active)
    assert listed_ids(api_client.get("/api/books/", {"in_stock": "true"})) == ids(active)
    assert api_client.get("/api/books/").json()["count"] == 1


# --- detail -------------------------------------------------------------------------------------


def test_book_detail_shape(api_client):
    genre = GenreFactory(slug="science-fiction")
    book = BookFactory(
        title="Dune",
        author="Frank Herbert",
        isbn="9780306406157",
        description="Spice.",
        price=Decimal("12.5"),
        stock=4,
        genre=genre,
    )

    response = api_client.get(f"/api/books/{book.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == BOOK_FIELDS
    book.refresh_from_db()
    assert body == {
        "id": book.pk,
        "title": "Dune",
        "author": "Frank Herbert",
        "isbn": "9780306406157",
        "description": "Spice.",
        "price": "12.50",
        "stock": 4,
        "genre": "science-fiction",
        "tax_class": "reduced",
        "cover_url": None,
        "avg_rating": None,
        "review_count": 0,
        "created_at": body["created_at"],
    }
    assert datetime.fromisoformat(body["created_at"]) == book.created_at


@pytest.mark.parametrize(("price", "shown"), [("7", "7.00"), ("0.5", "0.50"), ("1234.99", "1234.99")])
def test_price_is_a_two_decimal_string(api_client, price, shown):
    book = BookFactory(price=Decimal(price))

    assert api_client.get(f"/api/books/{book.pk}/").json()["price"] == shown
    assert api_client.get("/api/books/").json()["results"][0]["price"] == shown


def test_rated_book_shows_its_average_and_count(api_client):
    book = BookFactory(avg_rating=Decimal("4.5"), review_count=2)

    body = api_client.get(f"/api/books/{book.pk}").json()

    assert (body["avg_rating"], body["review_count"]) == ("4.50", 2)


def test_list_items_have_the_detail_shape(api_client):
    BookFactory()

    assert set(api_client.get("/api/books/").json()["results"][0]) == BOOK_FIELDS


def test_inactive_book_detail_is_404(api_client):
    book = BookFactory(is_active=False)

    assert api_client.get(f"/api/books/{book.pk}/").status_code == 404


@pytest.mark.parametrize("book_id", ["999999", "abc", "9" * 19])
def test_unknown_book_is_404(api_client, book_id):
    BookFactory()

    assert api_client.get(f"/api/books/{book_id}/").status_code == 404

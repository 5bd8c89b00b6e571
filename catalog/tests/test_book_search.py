"""`?search=` on /api/books/: words on every database, FULLTEXT (relevance-ranked) on MariaDB.

These tests commit their rows (transaction=True): InnoDB's FULLTEXT index only sees committed data.
"""

import pytest
from django.db import connection

from catalog.factories import BookFactory
from catalog.search import FULLTEXT_INDEX

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shelf():
    return {
        "hobbit": BookFactory(
            title="The Hobbit", author="J. R. R. Tolkien", description="There and back again"
        ),
        "oz": BookFactory(
            title="The Wizard of Oz", author="L. Frank Baum", description="A girl named Dorothy"
        ),
        "it": BookFactory(title="It", author="Stephen King", description="A clown in Derry"),
        "dune": BookFactory(
            title="Dune", author="Frank Herbert", description="Spice and sandworms", isbn="9780441013593"
        ),
        "cafe": BookFactory(title="Café Society", author="Zoë Müller", description="Hobbits not included"),
    }


def _titles(client, query, **params):
    response = client.get("/api/books/", {"search": query, **params})
    assert response.status_code == 200, response.content
    return sorted(book["title"] for book in response.json()["results"])


def test_words_match_title_author_or_description_case_insensitively(api_client, shelf):
    assert _titles(api_client, "hobbit") == ["Café Society", "The Hobbit"]
    assert _titles(api_client, "TOLKIEN") == ["The Hobbit"]
    assert _titles(api_client, "sandworms") == ["Dune"]


def test_every_word_must_match(api_client, shelf):
    assert _titles(api_client, "frank wizard") == ["The Wizard of Oz"]
    assert _titles(api_client, "frank spice") == ["Dune"]
    assert _titles(api_client, "frank tolkien") == []


def test_short_words_and_stopwords_still_work(api_client, shelf):
    assert _titles(api_client, "Oz") == ["The Wizard of Oz"]
    assert _titles(api_client, "wizard oz") == ["The Wizard of Oz"]
    assert _titles(api_client, "the hobbit") == ["The Hobbit"]
    assert "It" in _titles(api_client, "it king")


def test_isbn_is_an_exact_lookup(api_client, shelf):
    assert _titles(api_client, "978-0-441-01359-3") == ["Dune"]
    assert _titles(api_client, "0441013597") == ["Dune"]


@pytest.mark.parametrize(
    "query",
    ['+hobbit -"dune" (x) ~y <z> @3 *', "hobbit*", '"', "'; DROP TABLE catalog_book; --", "\\", "%_%"],
)
def test_boolean_mode_operators_and_sql_are_just_text(api_client, shelf, query):
    response = api_client.get("/api/books/", {"search": query})

    assert response.status_code == 200, response.content
    assert api_client.get("/api/books/").json()["count"] == 5


def test_operators_around_words_do_not_change_the_meaning(api_client, shelf):
    assert _titles(api_client, "+hobbit -tolkien") == ["The Hobbit"]  # `-` is not "exclude"
    assert _titles(api_client, "(dune)") == ["Dune"]


def test_text_without_words_finds_nothing(api_client, shelf):
    assert _titles(api_client, "!!! ---") == []


def test_blank_search_is_no_filter(api_client, shelf):
    assert api_client.get("/api/books/", {"search": "   "}).json()["count"] == 5


def test_search_combines_with_filters_and_explicit_ordering(api_client, shelf):
    shelf["dune"].price = "30.00"
    shelf["dune"].save()

    response = api_client.get("/api/books/", {"search": "frank", "ordering": "-price"})

    assert [book["title"] for book in response.json()["results"]] == ["Dune", "The Wizard of Oz"]
    response = api_client.get("/api/books/", {"search": "frank", "max_price": "20"})
    assert [book["title"] for book in response.json()["results"]] == ["The Wizard of Oz"]


@pytest.mark.mariadb
def test_fulltext_index_exists_and_is_used(shelf):
    from catalog.selectors import book_queryset, book_search

    with connection.cursor() as cursor:
        cursor.execute("SHOW INDEX FROM catalog_book WHERE Index_type = 'FULLTEXT'")
        assert {row[2] for row in cursor.fetchall()} == {FULLTEXT_INDEX}
        sql, params = book_search(book_queryset(), "hobbit").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = cursor.fetchall()
    assert any(row[3] == "fulltext" and row[5] == FULLTEXT_INDEX for row in plan), plan


@pytest.mark.mariadb
def test_fulltext_matches_word_prefixes(api_client, shelf):
    assert _titles(api_client, "hobb") == ["Café Society", "The Hobbit"]
    assert _titles(api_client, "cafe") == ["Café Society"]  # accent-insensitive collation


@pytest.mark.mariadb
def test_most_relevant_first_without_an_explicit_ordering(api_client):
    BookFactory(title="Gardening", description="One chapter mentions a dragon.")
    BookFactory(title="Dragon Dragon", author="Dragon Press", description="Dragon lore of every dragon.")
    BookFactory(title="Cooking", description="Unrelated.")

    response = api_client.get("/api/books/", {"search": "dragon"})

    assert [book["title"] for book in response.json()["results"]] == ["Dragon Dragon", "Gardening"]


@pytest.mark.mariadb
def test_a_word_every_book_contains_still_matches(api_client):
    BookFactory(title="Solo", description="Only book")

    assert _titles(api_client, "solo") == ["Solo"]

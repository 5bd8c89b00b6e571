"""/search/suggest/?q=: what the search box offers while the shopper types."""

import pytest
from django.urls import reverse

from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book

pytestmark = pytest.mark.django_db

SUGGEST = reverse("catalog:search_suggest")
HOME = reverse("catalog:home")


@pytest.fixture
def shelf():
    mystery = GenreFactory(name="Mystery", slug="mystery")
    cozy = GenreFactory(name="Cozy Mystery", slug="cozy-mystery", parent=mystery)
    return {
        "murder": BookFactory(title="Murder at the Mill", author="Mara Quill", genre=cozy),
        "mystic": BookFactory(title="Mystic River", author="Dennis Lane", genre=mystery),
        "mysteries": BookFactory(title="Small Mysteries", author="Myra Stone", genre=mystery),
    }


def _suggest(client, text):
    response = client.get(SUGGEST, {"q": text})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_words_genres_authors_and_titles_that_start_with_the_text(client, shelf):
    body = _suggest(client, "my")

    kinds = [(s["kind"], s["label"]) for s in body["suggestions"]]
    assert body["query"] == "my"
    assert ("genre", "Cozy Mystery") in kinds and ("genre", "Mystery") in kinds
    assert ("author", "Myra Stone") in kinds
    assert ("book", "Mystic River") in kinds
    assert any(kind == "search" and label.startswith("my") for kind, label in kinds)
    book = next(s for s in body["suggestions"] if s["label"] == "Mystic River")
    assert book["url"] == reverse("catalog:book_detail", args=[shelf["mystic"].pk])
    assert book["detail"] == "by Dennis Lane"
    genre = next(s for s in body["suggestions"] if s["label"] == "Mystery")
    assert genre["url"] == f"{HOME}?genre=mystery"
    assert len(body["suggestions"]) <= 12


def test_completes_the_last_word_keeping_the_ones_before(client, shelf):
    body = _suggest(client, "murder at the mi")

    assert {
        "kind": "search",
        "label": "murder at the mill",
        "url": f"{HOME}?search=murder+at+the+mill",
        "detail": "",
    } in body["suggestions"]


def test_a_typo_is_answered_with_did_you_mean(client, shelf):
    body = _suggest(client, "mistery")

    assert body["suggestions"] == [
        {"kind": "correction", "label": "mystery", "url": f"{HOME}?search=mystery", "detail": ""}
    ]


def test_books_out_of_the_catalog_are_never_suggested(client, shelf):
    Book.objects.filter(pk=shelf["mystic"].pk).update(is_active=False)

    labels = [s["label"] for s in _suggest(client, "Mystic")["suggestions"]]

    assert "Mystic River" not in labels


@pytest.mark.parametrize("text", ["", " ", "m", "%", "_", "\\", "' OR 1=1 --", "x" * 5000, "🙂🙂", "\x00"])
def test_short_or_odd_text_is_answered_calmly(client, shelf, text):
    body = _suggest(client, text)

    assert isinstance(body["suggestions"], list)
    assert len(body["query"]) <= 100


def test_answers_are_cacheable_for_a_minute(client, shelf):
    response = client.get(SUGGEST, {"q": "my"})

    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_costs_a_few_indexed_queries_whatever_the_catalog(
    client, shelf, settings, django_assert_max_num_queries
):
    settings.SEARCH_CACHE_SECONDS = 60  # the tests' settings turn the search caches off
    with django_assert_max_num_queries(4):  # words, genres, authors, titles (no session: anonymous)
        client.get(SUGGEST, {"q": "my"})
    with django_assert_max_num_queries(0):  # the same question again: from the cache
        client.get(SUGGEST, {"q": "MY"})


def test_only_get_and_head(client):
    assert client.post(SUGGEST, {"q": "my"}).status_code == 405

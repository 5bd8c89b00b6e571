"""Every list answers `{count, next, previous, results}`: 20 a page by default, never more than 100."""

import pytest
from rest_framework.test import APIClient

from catalog.factories import BookFactory


@pytest.fixture
def books(db):
    return BookFactory.create_batch(101)


def page(**params):
    response = APIClient().get("/api/books/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_pages_hold_20_items_by_default(books):
    body = page()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 101
    assert len(body["results"]) == 20
    assert body["previous"] is None
    assert "page=2" in body["next"]


def test_page_size_is_capped_at_100(books):
    body = page(page_size=1000)

    assert len(body["results"]) == 100
    assert body["next"]


def test_pages_follow_each_other_without_overlap(books):
    first = page(page_size=60)
    second = page(page_size=60, page=2)

    assert len(first["results"]) == 60
    assert len(second["results"]) == 41
    assert second["next"] is None
    assert second["previous"]
    seen = [book["id"] for book in first["results"] + second["results"]]
    assert sorted(seen) == sorted(book.pk for book in books)


@pytest.mark.parametrize("size", ["0", "-5", "abc", "", "1e3"])
def test_an_unusable_page_size_falls_back_to_the_default(books, size):
    assert len(page(page_size=size)["results"]) == 20


@pytest.mark.parametrize("number", ["0", "3", "abc", "-1", "9" * 30])
def test_a_page_that_does_not_exist_is_404(books, number):
    response = APIClient().get("/api/books/", {"page": number, "page_size": 100})

    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"

"""Django's error handlers: JSON under /api/ (paths no route matches, crashes outside DRF), pages elsewhere."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from catalog.factories import BookFactory
from catalog.models import Book, Genre
from core.error_views import server_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/books/abc/", "/api/books/1.5/stock/", "/api/orders/%C2%84/cancel/", "/api/no-such-endpoint/"],
)
def test_a_path_no_api_route_matches_answers_the_json_error_body(staff_client, path):
    book = BookFactory(stock=3)

    got = staff_client.get(path)
    sent = staff_client.post(path, {"stock": 0}, format="json")

    for response in (got, sent):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found.", "code": "not_found"}
    book.refresh_from_db()
    assert book.stock == 3
    assert Book.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_shop_page_still_gets_the_html_page():
    response = APIClient().get("/no/such/page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_crash_under_the_api_answers_the_json_error_body():
    # No db fixture: the handler must not need the database that may have caused the crash.
    response = server_error(RequestFactory().get("/api/books/"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"detail": "Server error.", "code": "server_error"}'


def test_a_crash_on_a_shop_page_still_gets_the_html_page():
    response = server_error(RequestFactory().get("/books/1/"))

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


@pytest.mark.django_db
def test_a_body_in_an_unlisted_format_is_refused_with_the_error_body(staff_client):
    response = staff_client.post("/api/genres/", "name=Poetry", content_type="text/plain")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert set(response.json()) == {"detail", "code"}
    assert not Genre.objects.exists()

"""API routing: every path answers with and without its trailing slash; ids are digits or a 404."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from catalog.factories import BookFactory
from conftest import client_for

REDIRECTS = {301, 302, 303, 307, 308}
ID_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


def api_patterns():
    """The full regex of every route under /api/, however it was registered."""
    api = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "api"
    )

    def walk(entries, prefix):
        for entry in entries:
            regex = prefix + entry.pattern.regex.pattern.lstrip("^")
            if isinstance(entry, URLPattern):
                yield regex
            else:
                yield from walk(entry.url_patterns, regex.removesuffix("$"))

    yield from walk(api.url_patterns, "")


def test_every_api_route_makes_its_trailing_slash_optional():
    routes = list(api_patterns())

    assert len(routes) > 10
    for regex in routes:
        assert regex.endswith("/?$"), regex


def test_every_api_object_id_is_a_bounded_run_of_digits():
    """An unbounded id would reach the database as an integer too large for its column."""
    for regex in api_patterns():
        for name, group in ID_GROUP.findall(regex):
            if name != "format":
                assert group == "[0-9]{1,18}", regex


@pytest.fixture
def clients(db):
    staff = UserFactory(is_staff=True)
    customer = UserFactory()
    return {"anonymous": APIClient(), "customer": client_for(customer), "staff": client_for(staff)}


CALLS = [
    ("get", "anonymous", "/api/health/", None, 200),
    ("get", "anonymous", "/api/books/", None, 200),
    ("get", "anonymous", "/api/books/{book}/", None, 200),
    ("get", "anonymous", "/api/genres/", None, 200),
    ("get", "anonymous", "/api/schema/", None, 200),
    ("get", "customer", "/api/users/me/", None, 200),
    ("patch", "customer", "/api/users/me/", {"first_name": "Grace"}, 200),
    ("get", "staff", "/api/admin/users/", None, 200),
    ("post", "anonymous", "/api/auth/login/", {"email": "{email}", "password": DEFAULT_PASSWORD}, 200),
    ("post", "anonymous", "/api/auth/refresh/", {"refresh": "not.a.jwt"}, 401),
    ("post", "anonymous", "/api/auth/password-reset/", {"email": "nobody@example.com"}, 204),
    ("post", "anonymous", "/api/auth/password-reset/confirm/", {}, 400),
    ("post", "anonymous", "/api/auth/register/", {}, 400),
    ("post", "customer", "/api/auth/logout/", {}, 400),
    ("post", "customer", "/api/users/me/password/", {}, 400),
    ("post", "staff", "/api/admin/users/{customer}/reactivate/", None, 200),
    ("post", "staff", "/api/books/", {}, 400),
    ("patch", "staff", "/api/books/{book}/stock/", {}, 400),
]


@pytest.mark.parametrize("slash", ["/", ""], ids=["with-slash", "without-slash"])
@pytest.mark.parametrize(("method", "who", "path", "body", "expected"), CALLS)
def test_api_paths_answer_with_and_without_trailing_slash(clients, slash, method, who, path, body, expected):
    book = BookFactory()
    login_user = UserFactory()
    customer = UserFactory()
    path = path.format(book=book.pk, customer=customer.pk).removesuffix("/") + slash
    if body and body.get("email") == "{email}":
        body = {**body, "email": login_user.email}

    response = getattr(clients[who], method)(path, body, format="json")

    assert response.status_code not in REDIRECTS, response.get("Location")
    assert response.status_code == expected, response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/books/999999/",
        "/api/books/999999",
        "/api/books/999999999999999999/",
        "/api/books/9999999999999999999/",
        "/api/books/" + "9" * 30 + "/",
        "/api/books/" + "9" * 30,
        "/api/books/-1/",
        "/api/books/abc/",
        "/api/books/1.5/",
        "/api/books/%00/",
        "/api/books/" + "9" * 30 + "/stock/",
        "/api/admin/users/" + "9" * 30 + "/",
        "/api/admin/users/" + "9" * 30 + "/deactivate/",
    ],
)
def test_unknown_or_absurd_ids_are_404(clients, path):
    BookFactory()
    staff = clients["staff"]

    got = staff.get(path)
    sent = staff.post(path, {}, format="json")

    assert got.status_code == 404, got.content
    assert sent.status_code in {404, 405}, sent.content


@pytest.mark.django_db
def test_a_missing_object_answers_json_not_found(clients):
    response = clients["anonymous"].get("/api/books/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such book in the catalog.", "code": "not_found"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/books/abc/", "/api/no-such-resource", "/api/books/1/no-such-action/", "/api/"]
)
def test_a_path_no_route_matches_answers_json_not_found(clients, path):
    """Not the shop's HTML 404: API clients parse every error as JSON (with DEBUG on, Django's
    technical 404 page is left to the developer on purpose)."""

    got = clients["anonymous"].get(path)
    sent = clients["customer"].post(path, {"title": "x"}, format="json")

    for response in (got, sent):
        assert response.status_code == 404, response.content
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found.", "code": "not_found"}

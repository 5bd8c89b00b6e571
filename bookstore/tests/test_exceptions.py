"""The one API exception handler: every error has a predictable body, and no input is a 500."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

User = get_user_model()

POST_ENDPOINTS = [
    "/api/auth/register/",
    "/api/auth/login/",
    "/api/auth/refresh/",
    "/api/auth/logout/",
    "/api/auth/password-reset/",
    "/api/auth/password-reset/confirm/",
    "/api/users/me/password/",
]
HOSTILE_BODIES = [
    None,
    [],
    ["a", "b"],
    "just a string",
    12345678901234567890123456789,
    {"email": {"$ne": None}, "password": {"$gt": ""}, "refresh": {"a": 1}},
    {"email": "a\x00@example.com", "password": "\x00", "username": "\x00", "refresh": "\x00"},
    {"email": "é" * 300, "password": "😀" * 200, "uid": "%%%", "token": "../../", "new_password": ""},
    {"email": True, "password": 1.5, "refresh": None, "uid": [], "token": {}, "old_password": 0},
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", POST_ENDPOINTS)
@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_json_is_a_4xx_and_creates_nothing(user_client, path, body):
    users = User.objects.count()

    response = user_client.post(path, body, format="json")

    assert 400 <= response.status_code < 500, response.content
    assert User.objects.count() == users


@pytest.mark.django_db
@pytest.mark.parametrize("path", POST_ENDPOINTS)
@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"email": ', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"--x\r\ngarbage", "multipart/form-data; boundary=x"),
        (b"email=a%ZZ&password", "application/x-www-form-urlencoded"),
    ],
)
def test_unparseable_bodies_are_400_with_a_code(user_client, path, content, content_type):
    response = user_client.generic("POST", path, content, content_type=content_type)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("code") == "parse_error" or any(isinstance(v, list) for v in body.values()), body


@pytest.mark.django_db
def test_malformed_json_answers_parse_error():
    response = APIClient().generic(
        "POST", "/api/auth/login/", b'{"email": "a@example.com", ', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"]


@pytest.mark.django_db
def test_an_unsupported_media_type_is_415():
    response = APIClient().generic("POST", "/api/auth/login/", b"email", content_type="text/plain")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.django_db
def test_a_wrong_method_is_405_with_a_code():
    response = APIClient().get("/api/auth/login/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_not_authenticated_is_401_with_a_challenge():
    response = APIClient().get("/api/users/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_not_allowed_is_403_with_a_code(user_client):
    response = user_client.get("/api/admin/users/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_a_business_error_answers_exactly_detail_and_code(staff, staff_client):
    response = staff_client.post(f"/api/admin/users/{staff.pk}/deactivate/")

    assert response.status_code == 409
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.django_db
def test_a_service_validation_error_answers_field_errors(api_client, user):
    response = api_client.post(
        "/api/auth/register/",
        {"email": user.email, "username": "someone-new", "password": "quiet-meadow-ferry-12"},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"email"}
    assert isinstance(errors["email"], list)
    assert all(isinstance(message, str) for message in errors["email"])


@pytest.mark.django_db
def test_errors_of_a_staff_only_route_do_not_leak_to_anonymous_callers(user):
    response = APIClient().post(f"/api/admin/users/{user.pk}/deactivate/")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}
    user.refresh_from_db()
    assert user.is_active

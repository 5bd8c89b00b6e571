"""POST /api/users/me/password/: the caller changes their password; every other login of the account
ends, the one making the change stays; wrong old passwords are throttled per user."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.factories import DEFAULT_PASSWORD, UserFactory

from .helpers import bearer, login, me_status, refresh, token_pair

URL = "/api/users/me/password/"
NEW_PASSWORD = "amber-quarry-lantern-58"


def assert_password_unchanged(user) -> None:
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert login(user.email, NEW_PASSWORD).status_code == 401


@pytest.mark.django_db
def test_password_change_sets_the_new_password_and_ends_every_other_login(user):
    session = token_pair(user)
    other_session = token_pair(user)
    browser = Client()
    browser.force_login(user)
    assert browser.get("/accounts/profile/").status_code == 200

    response = bearer(session["access"]).post(
        URL, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 204, response.content
    assert login(user.email, NEW_PASSWORD).status_code == 200
    assert login(user.email, DEFAULT_PASSWORD).status_code == 401
    assert me_status(other_session["access"]) == 401
    assert refresh(other_session["refresh"]).json()["code"] == "token_revoked"
    assert browser.get("/accounts/profile/").status_code == 302
    assert me_status(session["access"]) == 200
    assert refresh(session["refresh"]).status_code == 200


@pytest.mark.django_db
def test_wrong_old_passwords_are_throttled_per_user(user, settings):
    session = token_pair(user)
    client = bearer(session["access"])
    wrong = {"old_password": "not-my-password-3", "new_password": NEW_PASSWORD}
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.post(URL, wrong, format="json").status_code == 400

    right = client.post(URL, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json")

    assert right.status_code == 429, right.content
    assert right.json()["code"] == "throttled"
    assert int(right["Retry-After"]) > 0
    assert_password_unchanged(user)
    assert me_status(session["access"]) == 200
    other = UserFactory()
    assert (
        bearer(token_pair(other)["access"])
        .post(URL, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json")
        .status_code
        == 204
    )


@pytest.mark.django_db
def test_password_change_with_a_wrong_old_password_is_refused(user):
    session = token_pair(user)

    response = bearer(session["access"]).post(
        URL, {"old_password": "not-my-password-3", "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "old_password" in response.json()
    assert_password_unchanged(user)
    assert me_status(session["access"]) == 200
    assert refresh(session["refresh"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short7!", "password123", "90817263545", "reader"])
def test_password_change_to_a_weak_password_is_refused(user, weak):
    session = token_pair(user)

    response = bearer(session["access"]).post(
        URL, {"old_password": DEFAULT_PASSWORD, "new_password": weak}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "new_password" in response.json()
    assert_password_unchanged(user)
    assert me_status(session["access"]) == 200


@pytest.mark.django_db
def test_password_change_to_something_like_ones_email_is_refused(user):
    session = token_pair(user)

    response = bearer(session["access"]).post(
        URL, {"old_password": DEFAULT_PASSWORD, "new_password": user.email}, format="json"
    )

    assert response.status_code == 400, response.content
    assert any("too similar" in error for error in response.json()["new_password"])
    assert_password_unchanged(user)


@pytest.mark.django_db
def test_password_change_requires_authentication(user):
    response = APIClient().post(
        URL, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 401, response.content
    assert_password_unchanged(user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"old_password": DEFAULT_PASSWORD},
        {"new_password": NEW_PASSWORD},
        {"old_password": DEFAULT_PASSWORD, "new_password": None},
        {"old_password": DEFAULT_PASSWORD, "new_password": "x" * 129},
    ],
)
def test_password_change_rejects_malformed_input(user, body):
    response = bearer(token_pair(user)["access"]).post(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert_password_unchanged(user)

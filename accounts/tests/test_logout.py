"""POST /api/auth/logout/: the caller ends one of their own logins: its refresh and access tokens die."""

import pytest
from rest_framework.test import APIClient

from accounts.factories import UserFactory

from .helpers import bearer, me_status, refresh, token_pair

URL = "/api/auth/logout/"


@pytest.mark.django_db
def test_logout_kills_that_login_only(user):
    session = token_pair(user)
    other_session = token_pair(user)

    response = bearer(session["access"]).post(URL, {"refresh": session["refresh"]}, format="json")

    assert response.status_code == 204, response.content
    assert response.content == b""
    assert refresh(session["refresh"]).status_code == 401
    assert me_status(session["access"]) == 401
    assert me_status(other_session["access"]) == 200
    assert refresh(other_session["refresh"]).status_code == 200


@pytest.mark.django_db
def test_logout_refuses_the_access_token_until_it_expires(user):
    """Part 2: the access token's jti is refused too, not only the refresh token."""
    session = token_pair(user)
    bearer(session["access"]).post(URL, {"refresh": session["refresh"]}, format="json")

    response = bearer(session["access"]).get("/api/cart/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


@pytest.mark.django_db
def test_logout_requires_authentication(user):
    session = token_pair(user)

    response = APIClient().post(URL, {"refresh": session["refresh"]}, format="json")

    assert response.status_code == 401, response.content
    assert refresh(session["refresh"]).status_code == 200


@pytest.mark.django_db
def test_logout_refuses_another_users_refresh_token(user):
    mine = token_pair(user)
    theirs = token_pair(UserFactory())

    response = bearer(mine["access"]).post(URL, {"refresh": theirs["refresh"]}, format="json")

    assert response.status_code == 400, response.content
    assert "refresh" in response.json()
    assert refresh(theirs["refresh"]).status_code == 200
    assert refresh(mine["refresh"]).status_code == 200


@pytest.mark.django_db
def test_logout_twice_with_the_same_token_is_refused(user):
    session = token_pair(user)
    assert (
        bearer(session["access"]).post(URL, {"refresh": session["refresh"]}, format="json").status_code == 204
    )
    other = token_pair(user)

    again = bearer(session["access"]).post(URL, {"refresh": session["refresh"]}, format="json")
    from_another_login = bearer(other["access"]).post(URL, {"refresh": session["refresh"]}, format="json")

    assert again.status_code == 401, again.content
    assert from_another_login.status_code == 400, from_another_login.content
    assert "refresh" in from_another_login.json()
    assert me_status(other["access"]) == 200


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": "not.a.jwt"}])
def test_logout_rejects_a_missing_or_malformed_token(user, body):
    session = token_pair(user)

    response = bearer(session["access"]).post(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert refresh(session["refresh"]).status_code == 200


@pytest.mark.django_db
def test_logout_refuses_an_access_token_in_place_of_the_refresh_token(user):
    session = token_pair(user)

    response = bearer(session["access"]).post(URL, {"refresh": session["access"]}, format="json")

    assert response.status_code == 400, response.content
    assert refresh(session["refresh"]).status_code == 200

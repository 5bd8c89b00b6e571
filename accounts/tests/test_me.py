"""GET and PATCH /api/users/me/: the caller's own profile; only names and username are editable.
(DELETE, closing the account, is checkout's: checkout/tests/test_account_close.py.)"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.factories import UserFactory

User = get_user_model()

URL = "/api/users/me/"


def snapshot(user) -> dict:
    user.refresh_from_db()
    return {**model_to_dict(user, exclude=["groups", "user_permissions"]), "date_joined": user.date_joined}


@pytest.mark.django_db
def test_me_shows_the_callers_profile(user, user_client):
    response = user_client.get(URL)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "id",
        "email",
        "username",
        "first_name",
        "last_name",
        "is_staff",
        "date_joined",
        "updated_at",
        "email_verified",
        "orders_cancelled",
    }
    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["username"] == user.username
    assert (body["first_name"], body["last_name"]) == (user.first_name, user.last_name)
    assert body["is_staff"] is False
    assert body["date_joined"] and body["updated_at"]
    assert (body["email_verified"], body["orders_cancelled"]) == (False, 0)


@pytest.mark.django_db
def test_me_shows_staff_as_staff(staff_client):
    assert staff_client.get(URL).json()["is_staff"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "patch"])
def test_me_requires_authentication(method, user):
    before = snapshot(user)

    response = getattr(APIClient(), method)(URL, {"first_name": "Mallory"}, format="json")

    assert response.status_code == 401, response.content
    assert snapshot(user) == before


@pytest.mark.django_db
def test_me_patch_changes_names_and_username(user, user_client):
    response = user_client.patch(
        URL, {"username": "grace.h", "first_name": "Grace", "last_name": "Hopper"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["username"], body["first_name"], body["last_name"]) == ("grace.h", "Grace", "Hopper")
    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name) == ("grace.h", "Grace", "Hopper")


@pytest.mark.django_db
def test_me_patch_may_change_one_field_alone(user, user_client):
    before = snapshot(user)

    response = user_client.patch(URL, {"last_name": ""}, format="json")

    assert response.status_code == 200, response.content
    assert snapshot(user) == {**before, "last_name": ""}


@pytest.mark.django_db
def test_me_patch_ignores_every_other_field(user, user_client):
    before = snapshot(user)

    response = user_client.patch(
        URL,
        {
            "is_staff": True,
            "is_superuser": True,
            "is_active": False,
            "email": "mallory@example.com",
            "id": user.pk + 1000,
            "date_joined": "2000-01-01T00:00:00Z",
            "password": "mallorys-own-password-1",
            "last_login": "2000-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["is_staff"] is False
    assert response.json()["email"] == before["email"]
    assert snapshot(user) == before
    assert not User.objects.filter(email="mallory@example.com").exists()


@pytest.mark.django_db
def test_me_patch_with_nothing_to_change_writes_nothing(user, user_client):
    """Saving the request's copy of the user back could undo a deactivation made meanwhile."""
    before = snapshot(user)

    with CaptureQueriesContext(connection) as queries:
        response = user_client.patch(URL, {"is_staff": True}, format="json")

    assert response.status_code == 200, response.content
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert writes == []
    assert snapshot(user) == before


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["taken", "TAKEN"])
def test_me_patch_refuses_a_username_taken_by_someone_else(user, user_client, username):
    UserFactory(username="taken")
    before = snapshot(user)

    response = user_client.patch(URL, {"username": username, "first_name": "Changed"}, format="json")

    assert response.status_code == 400, response.content
    assert "username" in response.json()
    assert snapshot(user) == before


@pytest.mark.django_db
def test_me_patch_may_change_the_case_of_ones_own_username(user, user_client):
    response = user_client.patch(URL, {"username": user.username.upper()}, format="json")

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.username == response.json()["username"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"username": ""},
        {"username": "has spaces"},
        {"username": "x" * 151},
        {"username": None},
        {"first_name": "f" * 151},
        {"last_name": ["list"]},
        ["not", "an", "object"],
    ],
)
def test_me_patch_rejects_malformed_input(user, user_client, body):
    before = snapshot(user)

    response = user_client.patch(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert snapshot(user) == before


@pytest.mark.django_db
def test_me_cannot_be_replaced(user, user_client):
    before = snapshot(user)

    assert user_client.put(URL, {"username": "x"}, format="json").status_code == 405
    assert snapshot(user) == before

"""/api/admin/users/: staff list, search and filter users, and deactivate or reactivate them."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.factories import StaffFactory, UserFactory
from conftest import client_for

from .helpers import login, me_status, refresh, token_pair

User = get_user_model()

URL = "/api/admin/users/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- who may call ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("get", "{id}/"), ("post", "{id}/deactivate/"), ("post", "{id}/reactivate/")],
)
def test_admin_users_is_closed_to_anonymous_and_customers(user, user_client, method, path):
    target = UserFactory(is_active=path != "{id}/reactivate/")
    url = URL + path.format(id=target.pk)
    was_active = target.is_active

    anonymous = getattr(APIClient(), method)(url)
    customer = getattr(user_client, method)(url)

    assert anonymous.status_code == 401, anonymous.content
    assert customer.status_code == 403, customer.content
    assert "results" not in customer.json()
    target.refresh_from_db()
    assert target.is_active == was_active


# --- list ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_users_list_is_paginated(staff, staff_client):
    users = UserFactory.create_batch(3)

    response = staff_client.get(URL, {"page_size": 2})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert [row["id"] for row in body["results"]] == [staff.pk, users[0].pk]
    assert set(body["results"][0]) == {
        "id",
        "email",
        "username",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
        "date_joined",
        "updated_at",
        "email_verified",
        "last_login",
    }
    second = staff_client.get(URL, {"page_size": 2, "page": 2}).json()
    assert [row["id"] for row in second["results"]] == [users[1].pk, users[2].pk]
    assert second["next"] is None
    assert second["previous"]


@pytest.mark.django_db
def test_admin_users_page_size_is_capped_at_100(staff_client):
    UserFactory.create_batch(101)

    body = staff_client.get(URL, {"page_size": 1000}).json()

    assert body["count"] == 102
    assert len(body["results"]) == 100
    assert body["next"]


@pytest.mark.django_db
def test_admin_users_default_page_size_is_20(staff_client):
    UserFactory.create_batch(21)

    assert len(staff_client.get(URL).json()["results"]) == 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ada.lovelace@", ["ada"]),
        ("ADA.LOVELACE", ["ada"]),
        ("countess", ["ada"]),
        ("Turing", ["alan"]),
        ("analytical.example", ["ada", "alan"]),
        ("nobody-matches", []),
    ],
)
def test_admin_users_search_matches_email_or_username(staff_client, search, expected):
    people = {
        "ada": UserFactory(email="ada.lovelace@analytical.example", username="countess"),
        "alan": UserFactory(email="alan@analytical.example", username="turing"),
        "grace": UserFactory(email="grace@navy.example", username="amazing-grace", first_name="Ada"),
    }

    found = ids(staff_client.get(URL, {"search": search}))

    assert found == [people[name].pk for name in expected]


@pytest.mark.django_db
def test_admin_users_filter_by_is_active(staff, staff_client):
    active = UserFactory()
    inactive = UserFactory(is_active=False)

    assert ids(staff_client.get(URL, {"is_active": "true"})) == [staff.pk, active.pk]
    assert ids(staff_client.get(URL, {"is_active": "false"})) == [inactive.pk]
    assert ids(staff_client.get(URL, {"is_active": "false", "search": inactive.username})) == [inactive.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["maybe", "flase", "2", "yes please"])
def test_admin_users_invalid_is_active_is_refused(staff_client, value):
    UserFactory(is_active=False)

    response = staff_client.get(URL, {"is_active": value})

    assert response.status_code == 400, response.content
    assert "is_active" in response.json()


@pytest.mark.django_db
def test_admin_users_too_long_search_is_refused(staff_client):
    response = staff_client.get(URL, {"search": "x" * 101})

    assert response.status_code == 400, response.content


@pytest.mark.django_db
def test_admin_users_detail(staff_client):
    target = UserFactory()

    response = staff_client.get(f"{URL}{target.pk}/")

    assert response.status_code == 200, response.content
    assert response.json()["email"] == target.email
    assert response.json()["is_active"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "deactivate/", "reactivate/"])
@pytest.mark.parametrize("user_id", ["999999", "9" * 18, "1" * 30])
def test_admin_users_unknown_id_is_404(staff_client, suffix, user_id):
    response = (
        staff_client.post(f"{URL}{user_id}/{suffix}") if suffix else staff_client.get(f"{URL}{user_id}/")
    )

    assert response.status_code == 404, response.content


# --- deactivate / reactivate -------------------------------------------------------------------------


@pytest.mark.django_db
def test_deactivate_locks_the_user_out_at_once(staff_client):
    target = UserFactory()
    session = token_pair(target)

    response = staff_client.post(f"{URL}{target.pk}/deactivate/")

    assert response.status_code == 200, response.content
    assert response.json()["id"] == target.pk
    assert response.json()["is_active"] is False
    target.refresh_from_db()
    assert not target.is_active
    assert me_status(session["access"]) == 401
    assert refresh(session["refresh"]).status_code == 401
    assert login(target.email).status_code == 401


@pytest.mark.django_db
def test_reactivate_lets_the_user_log_in_again_with_fresh_tokens_only(staff_client):
    target = UserFactory()
    old = token_pair(target)
    assert staff_client.post(f"{URL}{target.pk}/deactivate/").status_code == 200

    response = staff_client.post(f"{URL}{target.pk}/reactivate/")

    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is True
    target.refresh_from_db()
    assert target.is_active
    fresh = login(target.email)
    assert fresh.status_code == 200
    assert me_status(fresh.json()["access"]) == 200
    assert refresh(old["refresh"]).status_code == 401


@pytest.mark.django_db
def test_deactivate_and_reactivate_are_repeatable(staff_client):
    target = UserFactory()

    assert staff_client.post(f"{URL}{target.pk}/deactivate/").status_code == 200
    assert staff_client.post(f"{URL}{target.pk}/deactivate/").json()["is_active"] is False
    assert staff_client.post(f"{URL}{target.pk}/reactivate/").status_code == 200
    assert staff_client.post(f"{URL}{target.pk}/reactivate/").json()["is_active"] is True


@pytest.mark.django_db
def test_deactivate_without_trailing_slash(staff_client):
    target = UserFactory()

    response = staff_client.post(f"{URL}{target.pk}/deactivate")

    assert response.status_code == 200, response.content
    target.refresh_from_db()
    assert not target.is_active


@pytest.mark.django_db
def test_staff_cannot_deactivate_themselves(staff, staff_client):
    session = token_pair(staff)

    response = staff_client.post(f"{URL}{staff.pk}/deactivate/")

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["detail"]
    staff.refresh_from_db()
    assert staff.is_active
    assert me_status(session["access"]) == 200
    assert refresh(session["refresh"]).status_code == 200


@pytest.mark.django_db
def test_a_deactivated_staff_member_loses_staff_access_at_once(staff, staff_client):
    colleague = StaffFactory()
    colleague_client = client_for(colleague)
    assert colleague_client.get(URL).status_code == 200

    assert staff_client.post(f"{URL}{colleague.pk}/deactivate/").status_code == 200

    assert colleague_client.get(URL).status_code == 401
    assert colleague_client.post(f"{URL}{staff.pk}/deactivate/").status_code == 401
    staff.refresh_from_db()
    assert staff.is_active


@pytest.mark.django_db
def test_reactivation_does_not_revive_tokens_issued_before_the_deactivation(staff_client):
    target = UserFactory()
    old = token_pair(target)
    assert me_status(old["access"]) == 200
    staff_client.post(f"{URL}{target.pk}/deactivate/")

    staff_client.post(f"{URL}{target.pk}/reactivate/")

    assert me_status(old["access"]) == 401
    assert refresh(old["refresh"]).status_code == 401
    fresh = login(target.email).json()
    assert me_status(fresh["access"]) == 200


@pytest.mark.django_db
def test_staff_who_is_not_superuser_cannot_deactivate_a_superuser(staff_client):
    boss = UserFactory(is_staff=True, is_superuser=True)
    session = token_pair(boss)

    response = staff_client.post(f"{URL}{boss.pk}/deactivate/")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    boss.refresh_from_db()
    assert boss.is_active
    assert me_status(session["access"]) == 200

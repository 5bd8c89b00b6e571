"""Logins the user can see and end: /api/users/me/sessions/ and the sessions page, for API token
families and browser sessions alike; `last_used_at` without a write per request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import LoginSession

from .helpers import bearer, me_status, refresh, token_pair

URL = "/api/users/me/sessions/"

pytestmark = pytest.mark.django_db


def browser_login(user) -> Client:
    browser = Client(HTTP_USER_AGENT="Firefox on the kitchen laptop", REMOTE_ADDR="198.51.100.4")
    response = browser.post("/accounts/login/", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return browser


def test_the_list_shows_each_login_and_which_one_is_asking(user):
    phone = (
        APIClient()
        .post(
            "/api/auth/login/",
            {"email": user.email, "password": DEFAULT_PASSWORD},
            format="json",
            HTTP_USER_AGENT="Bookstore app 2.1 (Android)",
            REMOTE_ADDR="203.0.113.7",
        )
        .json()
    )
    laptop = token_pair(user)
    browser_login(user)

    response = bearer(laptop["access"]).get(URL)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    assert all(
        set(row) == {"id", "created_at", "last_used_at", "user_agent", "ip", "current"}
        for row in body["results"]
    )
    assert [row["current"] for row in body["results"]].count(True) == 1
    by_agent = {row["user_agent"]: row for row in body["results"]}
    assert by_agent["Bookstore app 2.1 (Android)"]["ip"] == "203.0.113.7"
    assert by_agent["Firefox on the kitchen laptop"]["ip"] == "198.51.100.4"
    assert me_status(phone["access"]) == 200


def test_the_list_holds_only_the_callers_active_logins(user):
    mine = token_pair(user)
    ended = token_pair(user)
    bearer(ended["access"]).post("/api/auth/logout/", {"refresh": ended["refresh"]}, format="json")
    token_pair(UserFactory())

    rows = bearer(mine["access"]).get(URL).json()["results"]

    assert len(rows) == 1 and rows[0]["current"] is True


def test_revoking_another_login_kills_its_tokens_at_once(user):
    mine, other = token_pair(user), token_pair(user)
    other_id = next(
        row["id"] for row in bearer(mine["access"]).get(URL).json()["results"] if not row["current"]
    )

    response = bearer(mine["access"]).delete(f"{URL}{other_id}/")

    assert response.status_code == 204, response.content
    assert me_status(other["access"]) == 401
    assert refresh(other["refresh"]).json()["code"] == "token_revoked"
    assert me_status(mine["access"]) == 200
    assert bearer(mine["access"]).get(URL).json()["count"] == 1


def test_revoking_the_current_login_logs_the_caller_out(user):
    mine = token_pair(user)
    own_id = bearer(mine["access"]).get(URL).json()["results"][0]["id"]

    assert bearer(mine["access"]).delete(f"{URL}{own_id}/").status_code == 204

    assert me_status(mine["access"]) == 401
    assert refresh(mine["refresh"]).status_code == 401


def test_another_users_login_is_not_found_and_stays(user):
    theirs = token_pair(UserFactory())
    their_id = LoginSession.objects.exclude(user=user).get().pk

    response = bearer(token_pair(user)["access"]).delete(f"{URL}{their_id}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert me_status(theirs["access"]) == 200


def test_revoking_a_browser_login_through_the_api_logs_that_browser_out(user):
    browser = browser_login(user)
    assert browser.get("/accounts/profile/").status_code == 200
    web_id = LoginSession.objects.get(user=user, kind="web").pk

    assert bearer(token_pair(user)["access"]).delete(f"{URL}{web_id}/").status_code == 204

    response = browser.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_needs_a_login():
    assert APIClient().get(URL).status_code == 401


def _login_session_writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("UPDATE") and "loginsession" in query["sql"]
    ]


def test_using_a_login_writes_nothing_until_a_few_minutes_have_passed(user):
    pair = token_pair(user)
    browser = browser_login(user)
    with CaptureQueriesContext(connection) as api_calls:
        for _ in range(3):
            assert bearer(pair["access"]).get("/api/cart/").status_code == 200
    with CaptureQueriesContext(connection) as pages:
        for _ in range(3):
            assert browser.get("/accounts/profile/").status_code == 200

    assert _login_session_writes(api_calls.captured_queries) == []
    assert _login_session_writes(pages.captured_queries) == []
    LoginSession.objects.filter(user=user).update(last_used_at=timezone.now() - timedelta(minutes=10))
    bearer(pair["access"]).get("/api/cart/")
    api_login = LoginSession.objects.get(user=user, kind="api")
    assert timezone.now() - api_login.last_used_at < timedelta(minutes=1)


def test_a_refresh_marks_the_login_used(user):
    pair = token_pair(user)
    LoginSession.objects.filter(user=user).update(last_used_at=timezone.now() - timedelta(hours=1))

    refresh(pair["refresh"])

    assert timezone.now() - LoginSession.objects.get(user=user).last_used_at < timedelta(minutes=1)


def test_a_password_reset_ends_every_login(user, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    pair = token_pair(user)
    browser = browser_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        APIClient().post("/api/auth/password-reset/", {"email": user.email}, format="json")
    body = mail.outbox[-1].body
    uid, token = re.search(r"uid:\s+(\S+)", body)[1], re.search(r"token:\s+(\S+)", body)[1]

    response = APIClient().post(
        "/api/auth/password-reset/confirm/",
        {"uid": uid, "token": token, "new_password": "violet-tugboat-meridian-77"},
        format="json",
    )

    assert response.status_code == 204
    assert me_status(pair["access"]) == 401
    assert browser.get("/accounts/profile/").status_code == 302
    assert not LoginSession.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_deactivation_ends_every_login_for_good(user, staff_client):
    pair = token_pair(user)
    browser = browser_login(user)

    staff_client.post(f"/api/admin/users/{user.pk}/deactivate/")
    staff_client.post(f"/api/admin/users/{user.pk}/reactivate/")

    assert me_status(pair["access"]) == 401
    assert refresh(pair["refresh"]).status_code == 401
    assert browser.get("/accounts/profile/").status_code == 302


# --- the sessions page -----------------------------------------------------------------------------


def test_the_sessions_page_lists_the_logins_and_marks_this_one(user):
    token_pair(user)
    browser = browser_login(user)

    response = browser.get("/accounts/sessions/")

    assert response.status_code == 200
    assert b"This device" in response.content
    assert b"Firefox on the kitchen laptop" in response.content
    assert len(response.context["logins"]) == 2


def test_log_out_all_other_devices_keeps_only_this_browser(user):
    pair = token_pair(user)
    other_browser = browser_login(user)
    browser = browser_login(user)

    response = browser.post("/accounts/sessions/logout-others/", follow=True)

    assert b"Logged out 2 other devices." in response.content
    assert me_status(pair["access"]) == 401
    assert other_browser.get("/accounts/profile/").status_code == 302
    assert browser.get("/accounts/profile/").status_code == 200
    assert LoginSession.objects.filter(user=user, revoked_at__isnull=True).count() == 1


def test_logging_out_one_device_from_the_page(user):
    pair = token_pair(user)
    browser = browser_login(user)
    api_id = LoginSession.objects.get(user=user, kind="api").pk

    response = browser.post(f"/accounts/sessions/{api_id}/logout/", follow=True)

    assert b"That device has been logged out." in response.content
    assert me_status(pair["access"]) == 401
    assert browser.get("/accounts/profile/").status_code == 200


def test_logging_out_this_device_from_the_page_logs_this_browser_out(user):
    browser = browser_login(user)
    own_id = LoginSession.objects.get(user=user).pk

    browser.post(f"/accounts/sessions/{own_id}/logout/")

    assert browser.get("/accounts/profile/").status_code == 302


def test_another_users_login_cannot_be_logged_out_from_the_page(user):
    theirs = token_pair(UserFactory())
    their_id = LoginSession.objects.exclude(user=user).get().pk
    browser = browser_login(user)

    response = browser.post(f"/accounts/sessions/{their_id}/logout/", follow=True)

    assert b"No such login." in response.content
    assert me_status(theirs["access"]) == 200


def test_the_logout_button_ends_the_browsers_login(user):
    browser = browser_login(user)

    browser.post("/accounts/logout/")

    assert LoginSession.objects.get(user=user).revoked_at is not None

"""JWT handling: which access tokens the API accepts, and POST /api/auth/refresh/ rotation with reuse
detection (a rotated refresh token that comes back revokes its whole family)."""

import base64
import json
import threading
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import LoginSession

from .helpers import me_status, refresh, token_pair

SIGNING_KEY = settings.SIMPLE_JWT["SIGNING_KEY"]
ATTACKER_KEY = "an-attacker-guessed-this-key-0123456789"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims_of(raw: str) -> dict:
    return jwt.decode(raw, SIGNING_KEY, algorithms=["HS256"])


def signed(claims: dict, key: str = SIGNING_KEY) -> str:
    return jwt.encode(claims, key, algorithm="HS256")


def unsigned(claims: dict) -> str:
    """An `alg: none` token: a header, the claims and an empty signature."""
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


def an_hour_ago() -> int:
    return int((timezone.now() - timedelta(hours=1)).timestamp())


# --- access tokens -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_fresh_access_token_is_accepted(user):
    assert me_status(token_pair(user)["access"]) == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda claims: signed(claims, key=ATTACKER_KEY), id="forged"),
        pytest.param(unsigned, id="alg-none"),
        pytest.param(lambda claims: signed({**claims, "exp": an_hour_ago()}), id="expired"),
        pytest.param(lambda claims: signed({**claims, "token_type": "refresh"}), id="wrong-type"),
        pytest.param(lambda claims: signed({**claims, "user_id": "999999"}), id="unknown-user"),
        pytest.param(lambda claims: "not.a.jwt", id="garbage"),
    ],
)
def test_an_access_token_that_is_not_genuine_and_current_is_refused(user, forge):
    access = token_pair(user)["access"]

    response = APIClient().get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {forge(claims_of(access))}")

    assert response.status_code == 401, response.content
    assert "email" not in response.json()
    assert me_status(access) == 200


@pytest.mark.django_db
def test_a_refresh_token_is_not_an_access_token(user):
    assert me_status(token_pair(user)["refresh"]) == 401


@pytest.mark.django_db
def test_an_expired_access_token_built_by_simplejwt_is_refused(user):
    token = AccessToken.for_user(user)
    token.set_exp(from_time=timezone.now() - timedelta(days=1))

    assert me_status(str(token)) == 401


# --- refresh -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refresh_answers_a_new_working_pair(user):
    pair = token_pair(user)

    response = refresh(pair["refresh"])

    assert response.status_code == 200, response.content
    new = response.json()
    assert set(new) == {"access", "refresh"}
    assert new["refresh"] != pair["refresh"]
    assert claims_of(new["refresh"])["jti"] != claims_of(pair["refresh"])["jti"]
    assert me_status(new["access"]) == 200
    assert refresh(new["refresh"]).status_code == 200


@pytest.mark.django_db
def test_a_rotated_refresh_token_that_comes_back_revokes_its_whole_family(user):
    pair = token_pair(user)
    rotated = refresh(pair["refresh"]).json()
    other_login = token_pair(user)

    response = refresh(pair["refresh"])

    assert response.status_code == 401, response.content
    assert response.json()["code"] == "token_revoked"
    assert "access" not in response.json()
    assert refresh(rotated["refresh"]).json()["code"] == "token_revoked"
    assert me_status(rotated["access"]) == 401
    assert me_status(other_login["access"]) == 200
    assert refresh(other_login["refresh"]).status_code == 200


@pytest.mark.django_db
def test_a_refresh_token_from_before_several_rotations_also_revokes_the_family(user):
    first = token_pair(user)
    second = refresh(first["refresh"]).json()
    third = refresh(second["refresh"]).json()

    assert refresh(first["refresh"]).json()["code"] == "token_revoked"
    assert refresh(third["refresh"]).status_code == 401
    assert me_status(third["access"]) == 401


@pytest.mark.django_db
def test_refresh_keeps_the_family(user):
    pair = token_pair(user)

    rotated = refresh(refresh(pair["refresh"]).json()["refresh"]).json()

    assert claims_of(rotated["access"])["sid"] == claims_of(pair["access"])["sid"]
    assert LoginSession.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_refresh_after_logout_is_refused(user):
    pair = token_pair(user)
    logout = APIClient()
    logout.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert logout.post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204

    response = refresh(pair["refresh"])

    assert response.status_code == 401, response.content
    assert "access" not in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda claims: signed(claims, key=ATTACKER_KEY), id="forged"),
        pytest.param(unsigned, id="alg-none"),
        pytest.param(lambda claims: signed({**claims, "exp": an_hour_ago()}), id="expired"),
        pytest.param(lambda claims: signed({**claims, "token_type": "access"}), id="wrong-type"),
        pytest.param(lambda claims: signed({**claims, "jti": "f" * 32}), id="never-issued"),
        pytest.param(lambda claims: "not.a.jwt", id="garbage"),
    ],
)
def test_a_refresh_token_that_is_not_genuine_and_current_is_refused(user, forge):
    pair = token_pair(user)
    login_row = LoginSession.objects.values().get(user=user)

    response = refresh(forge(claims_of(pair["refresh"])))

    assert response.status_code == 401, response.content
    assert response.json()["code"] == "token_not_valid"
    assert LoginSession.objects.values().get(user=user) == login_row
    assert refresh(pair["refresh"]).status_code == 200


@pytest.mark.django_db
def test_an_access_token_cannot_be_used_to_refresh(user):
    pair = token_pair(user)

    assert refresh(pair["access"]).status_code == 401
    assert refresh(pair["refresh"]).status_code == 200


@pytest.mark.django_db
def test_an_expired_refresh_token_built_by_simplejwt_is_refused(user):
    token = RefreshToken.for_user(user)
    token.set_exp(from_time=timezone.now() - timedelta(days=30))

    response = refresh(str(token))

    assert response.status_code == 401, response.content
    assert "access" not in response.json()


@pytest.mark.django_db
def test_refresh_of_a_deleted_user_is_refused(user):
    pair = token_pair(user)
    user.delete()

    assert refresh(pair["refresh"]).status_code == 401
    assert me_status(pair["access"]) == 401


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": ["x"]}, {"refresh": "x" * 2049}])
def test_refresh_rejects_malformed_input(api_client, body):
    response = api_client.post("/api/auth/refresh/", body, format="json")

    assert response.status_code == 400, response.content
    assert "access" not in response.json()


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="threads need a database server with row locks (run with DATABASE_URL=mysql://...)",
)
def test_concurrent_refreshes_of_one_token_yield_at_most_one_pair(user):
    pair = token_pair(user)
    attempts = 4
    start = threading.Barrier(attempts)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def attempt():
        try:
            start.wait()
            statuses.append(refresh(pair["refresh"]).status_code)
        except BaseException as exc:  # surfaced below: a crashed thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(statuses) == [200] + [401] * (attempts - 1)
    # The losers presented a token that had just been rotated: the family is revoked (reuse detection
    # cannot tell a double click from a thief), and exactly one rotation happened.
    login_row = LoginSession.objects.get(user=user)
    assert login_row.rotations == 2
    assert login_row.revoked_at is not None

"""POST /api/auth/login/: credentials for a token pair, with a failure counter per address and account."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.factories import DEFAULT_PASSWORD, UserFactory

from .helpers import login, me_status, refresh

User = get_user_model()


def assert_refused_without_tokens(response, status: int) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert "access" not in body
    assert "refresh" not in body
    assert body["detail"]
    assert body["code"]


@pytest.mark.django_db
def test_login_answers_a_working_token_pair(user):
    response = login(user.email)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert me_status(body["access"]) == 200
    assert refresh(body["refresh"]).status_code == 200


@pytest.mark.django_db
def test_login_email_is_case_insensitive(user):
    assert login(f"  {user.email.upper()} ").status_code == 200


@pytest.mark.django_db
def test_login_records_last_login(user):
    assert user.last_login is None

    assert login(user.email).status_code == 200

    user.refresh_from_db()
    assert user.last_login is not None


@pytest.mark.django_db
def test_login_refuses_a_wrong_password(user):
    response = login(user.email, "not-the-password-1")

    assert_refused_without_tokens(response, 401)
    user.refresh_from_db()
    assert user.last_login is None


@pytest.mark.django_db
def test_login_refuses_an_unknown_email(user):
    response = login("nobody@example.com", DEFAULT_PASSWORD)

    assert_refused_without_tokens(response, 401)


@pytest.mark.django_db
def test_login_refuses_an_inactive_user():
    inactive = UserFactory(is_active=False)

    response = login(inactive.email)

    assert_refused_without_tokens(response, 401)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{}, {"email": "a@example.com"}, {"password": "x"}, {"email": ["a@example.com"], "password": "x"}],
)
def test_login_rejects_malformed_input(api_client, body):
    response = api_client.post("/api/auth/login/", body, format="json")

    assert response.status_code == 400, response.content
    assert "access" not in response.json()


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures_even_with_the_right_password(user):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert login(user.email, "wrong-password-1").status_code == 401

    response = login(user.email)

    assert_refused_without_tokens(response, 429)
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.last_login is None


@pytest.mark.django_db
def test_login_failures_from_one_address_block_every_account_there_at_the_address_limit(user, settings):
    settings.LOGIN_FAILURE_IP_LIMIT = 8
    for n in range(8):
        assert login(f"guess{n}@example.com", "wrong-password-1", ip="10.0.0.7").status_code == 401

    assert_refused_without_tokens(login(user.email, ip="10.0.0.7"), 429)
    assert_refused_without_tokens(login("guess-again@example.com", ip="10.0.0.7"), 429)
    assert login(user.email, ip="10.0.0.8").status_code == 200


@pytest.mark.django_db
def test_the_address_limit_is_well_above_the_account_limit():
    """Someone failing behind the owner's NAT must not lock the owner out at the account limit."""
    assert settings.LOGIN_FAILURE_IP_LIMIT >= 5 * settings.LOGIN_FAILURE_LIMIT


@pytest.mark.django_db
def test_login_failures_on_one_account_block_it_from_every_address(user):
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        assert login(user.email, "wrong-password-1", ip=f"10.0.1.{n}").status_code == 401

    assert_refused_without_tokens(login(user.email, ip="10.0.2.1"), 429)
    other = UserFactory()
    assert login(other.email, ip="10.0.2.1").status_code == 200


@pytest.mark.django_db
def test_login_success_does_not_reset_the_address_counter(user, settings):
    """An attacker holding one valid account must not be able to wipe the per-address count."""
    settings.LOGIN_FAILURE_IP_LIMIT = 4
    for n in range(3):
        assert login(f"guess{n}@example.com", "wrong-password-1").status_code == 401
    assert login(user.email).status_code == 200
    assert login("last-guess@example.com", "wrong-password-1").status_code == 401

    assert_refused_without_tokens(login(user.email), 429)


@pytest.mark.django_db
def test_login_success_clears_the_accounts_own_failures(user):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert login(user.email, "wrong-password-1").status_code == 401
    assert login(user.email).status_code == 200

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert login(user.email, "wrong-password-1").status_code == 401
    assert login(user.email).status_code == 200


@pytest.mark.django_db
def test_a_refused_attempt_checks_no_password_and_does_not_count(user, settings):
    from django.contrib.auth.signals import user_login_failed

    checked = []
    user_login_failed.connect(lambda **kwargs: checked.append(1), weak=False, dispatch_uid="count-checks")
    try:
        for _ in range(settings.LOGIN_FAILURE_LIMIT + 3):
            login(user.email, "wrong-password-1")
    finally:
        user_login_failed.disconnect(dispatch_uid="count-checks")

    assert len(checked) == settings.LOGIN_FAILURE_LIMIT
    other = UserFactory()
    assert login(other.email).status_code == 200


@pytest.mark.django_db
def test_a_limit_of_zero_turns_the_counting_off(user, settings):
    settings.LOGIN_FAILURE_LIMIT = 0
    settings.LOGIN_FAILURE_IP_LIMIT = 0
    for _ in range(12):
        assert login(user.email, "wrong-password-1").status_code == 401

    assert login(user.email).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [1, 3])
def test_login_failure_limit_comes_from_settings(settings, user, limit):
    settings.LOGIN_FAILURE_LIMIT = limit
    for _ in range(limit):
        assert login(user.email, "wrong-password-1").status_code == 401

    assert_refused_without_tokens(login(user.email), 429)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "counted_as"),
    [
        ([], "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no proxy is trusted: the header is ignored
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["10.0.0.1"], "10.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # a forged first hop
        (["10.0.0.1", "10.0.0.2"], "10.0.0.1", "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (["10.0.0.1"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from the proxy
        (["10.0.0.1"], "10.0.0.1", "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxy_saw(
    settings, trusted, remote, forwarded, counted_as
):
    from django.test import RequestFactory

    from accounts.login_throttle import client_ip

    settings.TRUSTED_PROXY_IPS = trusted
    request = RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == counted_as

"""POST /api/auth/password-reset/ and /confirm/: a mailed one-time uid + token sets a new password."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.factories import DEFAULT_PASSWORD, UserFactory

from .helpers import login, me_status, refresh, token_pair

REQUEST_URL = "/api/auth/password-reset/"
CONFIRM_URL = "/api/auth/password-reset/confirm/"
NEW_PASSWORD = "violet-tugboat-meridian-77"


@pytest.fixture
def request_reset(api_client, django_capture_on_commit_callbacks):
    """POST the request and run the on-commit callbacks, i.e. actually send what would be sent."""

    def _request(email):
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.post(REQUEST_URL, {"email": email}, format="json")

    return _request


def mailed_reset(message) -> dict[str, str]:
    return {
        "uid": re.search(r"uid:\s+(\S+)", message.body).group(1),
        "token": re.search(r"token:\s+(\S+)", message.body).group(1),
    }


def confirm(api_client, *, uid, token, new_password=NEW_PASSWORD):
    return api_client.post(
        CONFIRM_URL, {"uid": uid, "token": token, "new_password": new_password}, format="json"
    )


def assert_password_unchanged(user) -> None:
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert login(user.email, NEW_PASSWORD).status_code == 401


@pytest.mark.django_db
def test_reset_request_for_an_unknown_email_answers_204_and_sends_nothing(request_reset, user):
    response = request_reset("nobody@example.com")

    assert response.status_code == 204, response.content
    assert mail.outbox == []


@pytest.mark.django_db
def test_reset_request_for_an_inactive_account_answers_204_and_sends_nothing(request_reset):
    inactive = UserFactory(is_active=False)

    response = request_reset(inactive.email)

    assert response.status_code == 204, response.content
    assert mail.outbox == []


@pytest.mark.django_db
def test_reset_request_mails_one_uid_and_token_to_the_account(request_reset, user):
    response = request_reset(user.email.upper())

    assert response.status_code == 204, response.content
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject
    reset = mailed_reset(message)
    assert reset["uid"] == urlsafe_base64_encode(force_bytes(user.pk))
    assert default_token_generator.check_token(user, reset["token"])
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert reset["uid"] in html
    assert reset["token"] in html


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"email": "not-an-email"}, {"email": ["a@example.com"]}])
def test_reset_request_rejects_malformed_input(request_reset, api_client, body, user):
    response = api_client.post(REQUEST_URL, body, format="json")

    assert response.status_code == 400, response.content
    assert mail.outbox == []


@pytest.mark.django_db
def test_reset_confirm_sets_the_new_password_and_kills_old_tokens(request_reset, api_client, user):
    old = token_pair(user)
    request_reset(user.email)

    response = confirm(api_client, **mailed_reset(mail.outbox[0]))

    assert response.status_code == 204, response.content
    assert login(user.email, NEW_PASSWORD).status_code == 200
    assert login(user.email, DEFAULT_PASSWORD).status_code == 401
    assert me_status(old["access"]) == 401
    assert refresh(old["refresh"]).status_code == 401


@pytest.mark.django_db
def test_a_used_reset_token_is_refused(request_reset, api_client, user):
    request_reset(user.email)
    reset = mailed_reset(mail.outbox[0])
    assert confirm(api_client, **reset).status_code == 204

    response = confirm(api_client, **reset, new_password="second-attempt-password-5")

    assert response.status_code == 400, response.content
    assert "token" in response.json()
    assert login(user.email, NEW_PASSWORD).status_code == 200
    assert login(user.email, "second-attempt-password-5").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("uid", "token"),
    [
        ("good", "bad-token"),
        ("good", ""),
        ("!!", "good"),
        ("", "good"),
        (urlsafe_base64_encode(b"999999999"), "good"),
        (urlsafe_base64_encode(b"9" * 30), "good"),
        (urlsafe_base64_encode(b"-1"), "good"),
        (urlsafe_base64_encode(b"abc"), "good"),
        (urlsafe_base64_encode("\u00e9".encode()), "good"),
    ],
    ids=[
        "bad-token",
        "empty-token",
        "bad-base64",
        "empty-uid",
        "unknown-id",
        "30-digit-id",
        "negative-id",
        "non-numeric",
        "non-ascii",
    ],
)
def test_reset_confirm_with_a_bad_link_is_refused(request_reset, api_client, user, uid, token):
    request_reset(user.email)
    reset = mailed_reset(mail.outbox[0])
    uid = reset["uid"] if uid == "good" else uid
    token = reset["token"] if token == "good" else token

    response = confirm(api_client, uid=uid, token=token)

    assert response.status_code == 400, response.content
    assert_password_unchanged(user)
    assert confirm(api_client, **reset).status_code == 204


@pytest.mark.django_db
def test_a_token_for_one_user_does_not_reset_another(request_reset, api_client, user):
    other = UserFactory()
    request_reset(user.email)
    reset = mailed_reset(mail.outbox[0])

    response = confirm(api_client, uid=urlsafe_base64_encode(force_bytes(other.pk)), token=reset["token"])

    assert response.status_code == 400, response.content
    assert_password_unchanged(other)
    assert_password_unchanged(user)


@pytest.mark.django_db
def test_reset_confirm_with_a_weak_password_is_refused_and_keeps_the_link_usable(
    request_reset, api_client, user
):
    request_reset(user.email)
    reset = mailed_reset(mail.outbox[0])

    response = confirm(api_client, **reset, new_password="12345678")

    assert response.status_code == 400, response.content
    assert "new_password" in response.json()
    assert_password_unchanged(user)
    assert confirm(api_client, **reset).status_code == 204


@pytest.mark.django_db
def test_reset_confirm_after_deactivation_is_refused(request_reset, api_client, user):
    request_reset(user.email)
    reset = mailed_reset(mail.outbox[0])
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = confirm(api_client, **reset)

    assert response.status_code == 400, response.content
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{}, {"uid": "MQ", "token": "x"}, {"uid": "x" * 65, "token": "x", "new_password": NEW_PASSWORD}],
)
def test_reset_confirm_rejects_malformed_input(api_client, user, body):
    response = api_client.post(CONFIRM_URL, body, format="json")

    assert response.status_code == 400, response.content
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_reset_requests_are_throttled(request_reset, user):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["password_reset"].split("/")[0])
    for _ in range(allowed):
        assert request_reset("nobody@example.com").status_code == 204

    response = request_reset(user.email)

    assert response.status_code == 429, response.content
    assert response.json()["code"] == "throttled"
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_reset_link_opens_the_shops_page_on_site_url_whatever_host_was_asked(
    api_client, client, user, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://shop.example.com:8080"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            REQUEST_URL, {"email": user.email}, format="json", HTTP_HOST="evil.example"
        )

    assert response.status_code == 204
    [message] = mail.outbox
    html = message.alternatives[0][0]
    reset = mailed_reset(message)
    path = f"/accounts/password-reset/confirm/{reset['uid']}/{reset['token']}/"
    for part in (message.body, html):
        links = re.findall(r"https?://[^\s\"<>]+", part)
        # The reset link once, and the layout's footer links (catalog, account...): all on SITE_URL.
        assert links.count(f"http://shop.example.com:8080{path}") == 1
        assert all(link.startswith("http://shop.example.com:8080/") for link in links), links
    assert "evil.example" not in message.body + html
    page = client.get(path)
    assert page.status_code == 200 and page.templates[0].name == "accounts/password_reset_confirm.html"

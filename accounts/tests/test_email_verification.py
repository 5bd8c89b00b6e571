"""Email verification: a mail after registering, POST /api/auth/verify-email/ and the page its link opens.
Nothing is gated on it; `email_verified` shows on /api/users/me/."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.services import email_verification_token

from .helpers import bearer, token_pair

URL = "/api/auth/verify-email/"
STRONG_PASSWORD = "a-long-Enough-pass-77"

pytestmark = pytest.mark.django_db


def mailed(message) -> dict[str, str]:
    return {
        "uid": re.search(r"uid:\s+(\S+)", message.body)[1],
        "token": re.search(r"token:\s+(\S+)", message.body)[1],
        "link": re.search(r"(https?://\S+/accounts/verify-email/\S+/)", message.body)[1],
    }


@pytest.fixture
def registered(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://shop.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            "/api/auth/register/",
            {"email": "new@example.com", "username": "newreader", "password": STRONG_PASSWORD},
            format="json",
        )
    assert response.status_code == 201
    return response.json()


def test_registering_mails_a_verification_link_built_from_the_site_url(registered):
    [message] = mail.outbox

    assert message.to == ["new@example.com"]
    assert "Confirm" in message.subject
    link = mailed(message)["link"]
    assert link.startswith("https://shop.example.com/accounts/verify-email/")
    assert message.alternatives and link in message.alternatives[0][0]
    assert registered["email_verified"] is False


def test_the_uid_and_token_verify_the_email(registered):
    code = mailed(mail.outbox[0])
    pair = token_pair(UserFactory._meta.model.objects.get(pk=registered["id"]), STRONG_PASSWORD)
    before = bearer(pair["access"]).get("/api/users/me/").json()

    response = APIClient().post(URL, {"uid": code["uid"], "token": code["token"]}, format="json")

    assert response.status_code == 204, response.content
    after = bearer(pair["access"]).get("/api/users/me/").json()
    assert after["email_verified"] is True
    assert after["updated_at"] > before["updated_at"]
    assert (
        APIClient().post(URL, {"uid": code["uid"], "token": code["token"]}, format="json").status_code == 204
    )


@pytest.mark.parametrize(
    "change", [{"token": "1-bad"}, {"uid": "MTIzNDU2Nzg"}, {"uid": "!!"}], ids=["token", "uid", "garbage"]
)
def test_a_bad_link_is_a_400_and_verifies_nothing(registered, change):
    code = mailed(mail.outbox[0])

    response = APIClient().post(URL, {"uid": code["uid"], "token": code["token"], **change}, format="json")

    assert response.status_code == 400
    assert "token" in response.json()
    assert UserFactory._meta.model.objects.get(pk=registered["id"]).email_verified is False


def test_a_link_for_another_email_verifies_nothing(user):
    token = email_verification_token.make_token(user)
    user.email = "changed@example.com"
    user.save()

    response = APIClient().post(
        URL, {"uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}, format="json"
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified is False


@pytest.mark.parametrize("body", [{}, {"uid": "x"}, {"uid": "x", "token": "y" * 129}])
def test_malformed_input_is_a_400(body):
    assert APIClient().post(URL, body, format="json").status_code == 400


def test_the_link_opens_a_page_whose_button_verifies(registered):
    path = mailed(mail.outbox[0])["link"].removeprefix("https://shop.example.com")
    browser = Client()

    page = browser.get(path)
    assert page.status_code == 200 and b"Confirm my email address" in page.content
    assert UserFactory._meta.model.objects.get(pk=registered["id"]).email_verified is False

    response = browser.post(path, follow=True)

    assert b"your email address is confirmed" in response.content
    assert UserFactory._meta.model.objects.get(pk=registered["id"]).email_verified is True


def test_a_bad_link_opens_the_invalid_page(user):
    response = Client().post("/accounts/verify-email/MQ/bad-token/")

    assert response.status_code == 400
    assert b"not valid" in response.content


def test_registering_on_the_page_mails_the_link_too(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            "/accounts/register/",
            {
                "email": "page@example.com",
                "username": "pagereader",
                "password": STRONG_PASSWORD,
                "password2": STRONG_PASSWORD,
            },
        )

    assert [message.to for message in mail.outbox] == [["page@example.com"]]
    assert "/accounts/verify-email/" in mail.outbox[0].body

"""Sign in with Google or GitHub from a REST client: POST /api/auth/social/{provider}/ against the local
provider (tests_support/oauth_provider.py), the linking rules, and /api/users/me/social-accounts/."""

import base64
import hashlib
import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework.test import APIClient

from accounts.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory
from accounts.models import LoginSession
from accounts.services import user_anonymise, user_deactivate

from .helpers import bearer, login, me_status, refresh, token_pair

pytestmark = pytest.mark.django_db

User = get_user_model()
REDIRECT_URI = "com.example.bookstore:/oauth2redirect"
APP_REDIRECT_URI = "https://app.example.com/oauth/callback"
VERIFIER = "a-pkce-verifier-of-the-app-that-is-long-enough-0123456789"


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def social_login(provider_id: str, oauth_provider, *, verifier: str = VERIFIER, **overrides):
    """What a REST client does after its user approved at the provider: post the code back."""
    code = oauth_provider.issue_code(
        provider_id, redirect_uri=APP_REDIRECT_URI, challenge=challenge(VERIFIER)
    )
    body = {"code": code, "redirect_uri": APP_REDIRECT_URI, "code_verifier": verifier, **overrides}
    return APIClient().post(f"/api/auth/social/{provider_id}/", body, format="json")


@pytest.mark.parametrize("provider_id", ["google", "github"])
def test_a_new_email_creates_an_account_and_answers_a_token_pair_of_a_login(provider_id, oauth_provider):
    oauth_provider.sign_in_as(
        provider_id,
        uid="777",
        email="Grace@Example.com",
        first_name="Grace",
        last_name="Hopper",
        login="grace",
    )

    response = social_login(provider_id, oauth_provider)

    assert response.status_code == 200, response.content
    user = User.objects.get(email="grace@example.com")
    assert (user.first_name, user.last_name, user.email_verified) == ("Grace", "Hopper", True)
    assert not user.has_usable_password() and not user.is_staff
    assert SocialAccount.objects.get(user=user).provider == provider_id
    # The same token service as the password login: a login the user can see and end, refresh rotates.
    pair = response.json()
    assert me_status(pair["access"]) == 200
    assert LoginSession.objects.filter(user=user, kind=LoginSession.Kind.API).count() == 1
    assert refresh(pair["refresh"]).status_code == 200


def test_new_accounts_get_unique_usernames(oauth_provider):
    UserFactory(username="ada")
    oauth_provider.sign_in_as("github", uid="1", email="ada.one@example.com", login="ada")
    assert social_login("github", oauth_provider).status_code == 200
    oauth_provider.sign_in_as("github", uid="2", email="ada.two@example.com", login="ada")
    assert social_login("github", oauth_provider).status_code == 200

    names = {User.objects.get(email=f"ada.{n}@example.com").username for n in ("one", "two")}
    assert len(names) == 2 and "ada" not in names


@pytest.mark.parametrize("provider_id", ["google", "github"])
def test_a_verified_email_of_an_existing_account_signs_into_it(provider_id, oauth_provider):
    user = UserFactory(email="ada@example.com", email_verified=False)
    oauth_provider.sign_in_as(provider_id, uid="99", email="ADA@example.com")

    response = social_login(provider_id, oauth_provider)

    assert response.status_code == 200
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(provider=provider_id).user == user
    user.refresh_from_db()
    assert user.email_verified  # the provider vouched for it
    assert user.check_password(DEFAULT_PASSWORD)  # the password still works too
    assert me_status(response.json()["access"]) == 200

    # Next time the connection itself opens the account, whatever email the provider says then.
    oauth_provider.sign_in_as(provider_id, uid="99", email="ada.new@example.com")
    assert social_login(provider_id, oauth_provider).status_code == 200
    assert User.objects.count() == 1


@pytest.mark.parametrize("provider_id", ["google", "github"])
def test_an_unverified_email_never_takes_over_an_account(provider_id, oauth_provider):
    user = UserFactory(email="ada@example.com")
    oauth_provider.sign_in_as(provider_id, uid="66", email="ada@example.com", verified=False)

    response = social_login(provider_id, oauth_provider)

    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"
    assert not SocialAccount.objects.exists()
    assert not LoginSession.objects.filter(user=user).exists()


def test_an_unverified_email_creates_no_account(oauth_provider):
    oauth_provider.sign_in_as("google", uid="67", email="nobody@example.com", verified=False)
    response = social_login("google", oauth_provider)
    assert response.status_code == 403 and response.json()["code"] == "email_not_verified"
    assert not User.objects.exists()


def test_github_uses_the_primary_address_and_only_when_verified(oauth_provider):
    UserFactory(email="other@example.com")
    oauth_provider.sign_in_as(
        "github",
        uid="5",
        email="primary@example.com",
        verified=False,
        extra_emails=[{"email": "other@example.com", "primary": False, "verified": True}],
    )
    response = social_login("github", oauth_provider)
    assert response.status_code == 403 and response.json()["code"] == "email_not_verified"
    assert not SocialAccount.objects.exists()


def test_staff_accounts_cannot_sign_in_socially(oauth_provider):
    staff = StaffFactory(email="boss@example.com")
    oauth_provider.sign_in_as("google", uid="8", email="boss@example.com")

    response = social_login("google", oauth_provider)

    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not SocialAccount.objects.exists()
    assert not LoginSession.objects.filter(user=staff).exists()


def test_a_connected_account_made_staff_later_is_refused_too(oauth_provider):
    oauth_provider.sign_in_as("github", uid="9", email="later@example.com")
    assert social_login("github", oauth_provider).status_code == 200
    User.objects.filter(email="later@example.com").update(is_staff=True)
    assert social_login("github", oauth_provider).status_code == 403


def test_closed_accounts_cannot_sign_in(oauth_provider):
    oauth_provider.sign_in_as("google", uid="10", email="gone@example.com")
    assert social_login("google", oauth_provider).status_code == 200
    user = User.objects.get(email="gone@example.com")
    user_deactivate(user=user, actor=StaffFactory(is_superuser=True))
    response = social_login("google", oauth_provider)
    assert response.status_code == 403
    assert not LoginSession.objects.filter(user=user, revoked_at__isnull=True).exists()

    # Closing (anonymising) forgets the connection: the same Google account then makes a new account,
    # and the closed one stays closed.
    User.objects.filter(pk=user.pk).update(is_active=True)
    user_anonymise(user=user)
    assert not SocialAccount.objects.filter(user=user).exists()
    assert social_login("google", oauth_provider).status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    assert User.objects.get(email="gone@example.com").pk != user.pk


def test_a_bad_used_or_expired_code_is_400(oauth_provider):
    bad = APIClient().post(
        "/api/auth/social/google/",
        {"code": "made-up", "redirect_uri": APP_REDIRECT_URI, "code_verifier": VERIFIER},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "social_code_invalid"
    assert set(bad.json()) == {"detail", "code"}

    code = oauth_provider.issue_code("github", redirect_uri=APP_REDIRECT_URI, challenge=challenge(VERIFIER))
    body = {"code": code, "redirect_uri": APP_REDIRECT_URI, "code_verifier": VERIFIER}
    assert APIClient().post("/api/auth/social/github/", body, format="json").status_code == 200
    used = APIClient().post("/api/auth/social/github/", body, format="json")
    assert used.status_code == 400 and used.json()["code"] == "social_code_invalid"

    code = oauth_provider.issue_code("google", redirect_uri=APP_REDIRECT_URI)
    oauth_provider.expire_codes()
    expired = APIClient().post(
        "/api/auth/social/google/", {"code": code, "redirect_uri": APP_REDIRECT_URI}, format="json"
    )
    assert expired.status_code == 400
    assert User.objects.count() == 1  # only the one GitHub sign-in made an account


def test_a_wrong_pkce_verifier_or_redirect_uri_is_refused(oauth_provider):
    wrong_verifier = social_login("google", oauth_provider, verifier="another-verifier-" + "x" * 40)
    no_verifier = social_login("google", oauth_provider, verifier="")
    wrong_redirect = social_login("github", oauth_provider, redirect_uri="https://evil.example.com/cb")

    for response in (wrong_verifier, no_verifier, wrong_redirect):
        assert response.status_code == 400 and response.json()["code"] == "social_code_invalid"
    assert not User.objects.exists() and not LoginSession.objects.exists()


def test_a_provider_that_is_down_is_503_never_500(oauth_provider):
    oauth_provider.down = True
    response = social_login("github", oauth_provider)
    assert response.status_code == 503 and response.json()["code"] == "provider_unavailable"
    assert not User.objects.exists()


def test_a_provider_that_does_not_answer_at_all_is_503(oauth_provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS["google"]["ACCESS_TOKEN_URL"] = "http://127.0.0.1:9/token"  # discard
    response = social_login("google", oauth_provider)
    assert response.status_code == 503 and response.json()["code"] == "provider_unavailable"


def test_unknown_or_unconfigured_providers_are_404(oauth_provider, settings):
    body = {"code": "x", "redirect_uri": APP_REDIRECT_URI}
    assert APIClient().post("/api/auth/social/facebook/", body, format="json").status_code == 404
    settings.SOCIALACCOUNT_PROVIDERS["github"]["APPS"] = []
    response = APIClient().post("/api/auth/social/github/", body, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_missing_fields_are_400_field_errors(oauth_provider):
    response = APIClient().post("/api/auth/social/google/", {"redirect_uri": "not a url"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "redirect_uri"}


# --- /api/users/me/social-accounts/ ------------------------------------------------------------------

ACCOUNTS_URL = "/api/users/me/social-accounts/"


def test_the_caller_sees_and_disconnects_their_connected_accounts(oauth_provider):
    user = UserFactory(email="ada@example.com")
    for provider_id, uid in (("google", "g-1"), ("github", "1")):
        oauth_provider.sign_in_as(provider_id, uid=uid, email="ada@example.com")
        assert social_login(provider_id, oauth_provider).status_code == 200
    other = UserFactory()
    SocialAccount.objects.create(user=other, provider="google", uid="someone-else")
    client = bearer(token_pair(user)["access"])

    listed = client.get(ACCOUNTS_URL).json()["results"]

    assert [(a["provider"], a["name"]) for a in listed] == [("github", "ada"), ("google", "ada@example.com")]
    assert client.delete(f"{ACCOUNTS_URL}{listed[0]['id']}/").status_code == 204
    # With a password, the last one may go too.
    assert client.delete(f"{ACCOUNTS_URL}{listed[1]['id']}/").status_code == 204
    assert not SocialAccount.objects.filter(user=user).exists()
    theirs = SocialAccount.objects.get(user=other)
    assert client.delete(f"{ACCOUNTS_URL}{theirs.pk}/").status_code == 404
    assert SocialAccount.objects.filter(pk=theirs.pk).exists()


def test_the_last_way_to_sign_in_cannot_be_disconnected(oauth_provider, django_capture_on_commit_callbacks):
    oauth_provider.sign_in_as("google", uid="g-2", email="only@example.com")
    pair = social_login("google", oauth_provider).json()
    oauth_provider.sign_in_as("github", uid="2", email="only@example.com")
    assert social_login("github", oauth_provider).status_code == 200
    client = bearer(pair["access"])
    google, github = sorted(
        client.get(ACCOUNTS_URL).json()["results"], key=lambda a: a["provider"], reverse=True
    )

    assert client.delete(f"{ACCOUNTS_URL}{github['id']}/").status_code == 204
    refused = client.delete(f"{ACCOUNTS_URL}{google['id']}/")

    assert refused.status_code == 409 and refused.json()["code"] == "last_sign_in_method"
    assert SocialAccount.objects.filter(pk=google["id"]).exists()

    # A password set through the reset link (mailed to the address Google verified) frees the last one.
    with django_capture_on_commit_callbacks(execute=True):
        APIClient().post("/api/auth/password-reset/", {"email": "only@example.com"}, format="json")
    link = mail.outbox[-1].body
    reset = {name: re.search(rf"{name}:\s+(\S+)", link).group(1) for name in ("uid", "token")}
    new_password = {"new_password": "violet-tugboat-meridian-77"}
    assert APIClient().post("/api/auth/password-reset/confirm/", {**reset, **new_password}).status_code == 204
    client = bearer(login("only@example.com", "violet-tugboat-meridian-77").json()["access"])
    assert client.delete(f"{ACCOUNTS_URL}{google['id']}/").status_code == 204

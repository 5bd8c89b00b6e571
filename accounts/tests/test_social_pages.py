"""Sign in with Google or GitHub on the shop's pages: the buttons, allauth's provider URLs under
/accounts/, the round trip through the local provider (tests_support/oauth_provider.py) with state and
PKCE, the refusals, and the "Google and GitHub sign-in" page."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client

from accounts.factories import StaffFactory, UserFactory
from accounts.models import LoginSession

pytestmark = pytest.mark.django_db

User = get_user_model()


def start(client: Client, provider_id: str, **form) -> str:
    """Press "Continue with ...": the shop answers with the provider's authorize URL."""
    response = client.post(f"/accounts/{provider_id}/login/", form)
    assert response.status_code == 302, response.content
    return response["Location"]


def at_provider(authorize_url: str) -> str:
    """The user approves at the provider, which sends the browser back to the shop's callback."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    return answer.headers["Location"]


def back_at_shop(client: Client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(parts.path, parse_qs(parts.query))


def sign_in(client: Client, provider_id: str, **form):
    return back_at_shop(client, at_provider(start(client, provider_id, **form)))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in_user(client: Client):
    return client.get("/api/users/me/").json().get("email")


def test_the_buttons_show_only_for_providers_with_credentials(client, settings, oauth_provider):
    for page in ("/accounts/login/", "/accounts/register/"):
        html = client.get(page).content.decode()
        assert "Continue with Google" in html and "Continue with GitHub" in html
        assert 'action="/accounts/google/login/"' in html and 'action="/accounts/github/login/"' in html

    settings.SOCIALACCOUNT_PROVIDERS["github"]["APPS"] = []
    html = client.get("/accounts/login/").content.decode()
    assert "Continue with Google" in html and "Continue with GitHub" not in html


def test_without_credentials_there_is_no_button_and_the_urls_are_404(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Continue with" not in html
    for url in ("/accounts/google/login/", "/accounts/github/login/", "/accounts/google/login/callback/"):
        assert client.get(url).status_code == 404
    assert client.post("/accounts/google/login/").status_code == 404


def test_the_pages_csp_lets_the_buttons_go_to_the_provider(client, oauth_provider):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert "'self'" in form_action and oauth_provider.url in form_action
    # Other pages keep the strict policy.
    other = client.get("/accounts/password-reset/")["Content-Security-Policy"]
    assert oauth_provider.url not in other


def test_allauth_s_other_pages_are_not_reachable(client, oauth_provider):
    for url in (
        "/accounts/signup/",
        "/accounts/email/",
        "/accounts/social/connections/",
        "/accounts/3rdparty/",
    ):
        assert client.get(url).status_code == 404


def test_the_provider_url_asks_for_a_post_then_starts_the_sign_in(client, oauth_provider):
    page = client.get("/accounts/google/login/")
    assert page.status_code == 200
    assert "Continue with Google" in page.content.decode()

    authorize = urlsplit(start(client, "google"))
    query = parse_qs(authorize.query)
    assert (
        f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{oauth_provider.url}/google/authorize"
    )
    assert query["redirect_uri"] == ["http://testserver/accounts/google/login/callback/"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and "openid" in query["scope"][0]


@pytest.mark.parametrize("provider_id", ["google", "github"])
def test_a_new_shopper_signs_in_and_gets_an_account_and_a_browser_login(client, provider_id, oauth_provider):
    oauth_provider.sign_in_as(provider_id, uid="31", email="new@example.com", first_name="Mary", login="mary")

    response = sign_in(client, provider_id, next="/cart/")

    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert messages_of(response) == ["Welcome back, Mary."]  # in the words of the password login
    user = User.objects.get(email="new@example.com")
    assert logged_in_user(client) == "new@example.com"
    assert user.first_name == "Mary" and not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).provider == provider_id
    # The shop's own login: its receivers listed this browser's login.
    assert (
        LoginSession.objects.filter(user=user, kind=LoginSession.Kind.WEB, revoked_at__isnull=True).count()
        == 1
    )


def test_an_existing_shopper_with_the_verified_email_lands_in_their_account(client, oauth_provider):
    user = UserFactory(email="ada@example.com")
    response = sign_in(client, "google")
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user(client) == user.email
    assert SocialAccount.objects.get(provider="google").user == user


def test_an_unverified_email_is_sent_back_to_the_login_page(client, oauth_provider):
    UserFactory(email="ada@example.com")
    oauth_provider.sign_in_as("github", uid="5", email="ada@example.com", verified=False)

    response = sign_in(client, "github")

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "has not verified your email address" in " ".join(messages_of(response))
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_staff_are_sent_back_to_log_in_with_their_password(client, oauth_provider):
    staff = StaffFactory(email="ada@example.com")
    response = sign_in(client, "google")
    assert response["Location"] == "/accounts/login/"
    assert "Staff accounts sign in with their email and password" in " ".join(messages_of(response))
    assert logged_in_user(client) is None
    assert not LoginSession.objects.filter(user=staff).exists()


def test_a_state_that_is_not_this_browser_s_is_refused(client, oauth_provider):
    callback = at_provider(start(client, "google"))
    forged = callback.replace("state=", "state=forged")

    response = back_at_shop(client, forged)

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "did not work" in " ".join(messages_of(response))
    assert logged_in_user(client) is None and not User.objects.exists()

    # Another browser cannot finish this browser's sign-in either.
    stranger = Client()
    assert back_at_shop(stranger, callback)["Location"] == "/accounts/login/"
    assert not User.objects.exists()


def test_a_pkce_verifier_the_provider_does_not_match_is_refused(client, oauth_provider):
    """The shop sends the verifier of this browser's sign-in; a code issued for another challenge fails."""
    start(client, "google")
    state = parse_qs(urlsplit(start(client, "google")).query)["state"][0]
    code = oauth_provider.issue_code(
        "google", redirect_uri="http://testserver/accounts/google/login/callback/", challenge="not-this-one"
    )

    response = client.get("/accounts/google/login/callback/", {"code": code, "state": state})

    assert response["Location"] == "/accounts/login/"
    assert logged_in_user(client) is None and not User.objects.exists()


def test_a_user_who_says_no_at_the_provider_comes_back_to_the_login_page(client, oauth_provider):
    oauth_provider.deny = True
    response = sign_in(client, "github")
    assert response["Location"] == "/accounts/login/"
    assert "Signing in with GitHub was cancelled." in messages_of(response)
    assert not User.objects.exists()


def test_a_provider_that_fails_is_said_so_never_a_500(client, oauth_provider):
    callback = at_provider(start(client, "google"))
    oauth_provider.down = True

    response = back_at_shop(client, callback)

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "Google is not answering right now" in " ".join(messages_of(response))
    assert logged_in_user(client) is None


# --- Google and GitHub sign-in page ----------------------------------------------------------------


def test_the_page_lists_connections_and_disconnects_them(client, oauth_provider):
    user = UserFactory(email="ada@example.com")
    sign_in(client, "google")
    sign_in(client, "github")
    google = SocialAccount.objects.get(provider="google")

    page = client.get("/accounts/connected-accounts/").content.decode()
    assert "GitHub" in page and "ada@example.com" in page
    response = client.post(f"/accounts/connected-accounts/{google.pk}/disconnect/")

    assert response["Location"] == "/accounts/connected-accounts/"
    assert not SocialAccount.objects.filter(pk=google.pk).exists()
    assert SocialAccount.objects.filter(user=user, provider="github").exists()


def test_the_last_way_to_sign_in_stays(client, oauth_provider):
    sign_in(client, "github")
    account = SocialAccount.objects.get()

    response = client.post(f"/accounts/connected-accounts/{account.pk}/disconnect/")

    assert response["Location"] == "/accounts/connected-accounts/"
    assert "only way left to sign in" in " ".join(messages_of(response))
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_the_page_needs_a_login(client):
    assert client.get("/accounts/connected-accounts/")["Location"].startswith("/accounts/login/")

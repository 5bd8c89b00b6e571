"""Account pages through Django's test client: login/logout with CSRF, registration, password reset and
change, profile. Each failure path also checks what did not happen."""

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
REGISTER = reverse("accounts:register")
RESET = reverse("accounts:password_reset")
CHANGE = reverse("accounts:password_change")
PROFILE = reverse("accounts:profile")
NEW_PASSWORD = "a-Fresh-passphrase-42"


def logged_in_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def csrf_client_with_token(path: str) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser, and the token the page at `path` gave it."""
    client = Client(enforce_csrf_checks=True)
    client.get(path)
    return client, client.cookies["csrftoken"].value


def register_data(**overrides) -> dict:
    return {
        "email": "new.reader@example.com",
        "username": "newreader",
        "first_name": "New",
        "last_name": "Reader",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks):
    """POST the reset form and run the on-commit mail sending, as a real request's commit would."""

    def post(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email})

    return post


def reset_link_from_mail() -> str:
    [message] = mail.outbox
    return re.search(r"http://testserver(/accounts/password-reset/confirm/\S+/)", message.body).group(1)


# --- login / logout ------------------------------------------------------------------------------


def test_login_logs_in_and_returns_to_a_safe_next(client, user):
    response = client.post(
        LOGIN, {"email": user.email.upper(), "password": DEFAULT_PASSWORD, "next": "/books/1/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/books/1/"
    assert logged_in_id(client) == str(user.pk)


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_login_ignores_a_next_pointing_elsewhere(client, user, target):
    response = client.post(LOGIN, {"email": user.email, "password": DEFAULT_PASSWORD, "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_page_carries_next_into_the_form(client):
    response = client.get(LOGIN, {"next": "/books/7/"})

    assert b'name="next" value="/books/7/"' in response.content


def test_login_with_wrong_password_shows_an_error_and_no_session(client, user):
    response = client.post(LOGIN, {"email": user.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert b"The email or password is not correct." in response.content
    assert logged_in_id(client) is None


def test_login_for_inactive_user_is_refused(client):
    user = UserFactory(is_active=False)

    response = client.post(LOGIN, {"email": user.email, "password": DEFAULT_PASSWORD})

    assert b"The email or password is not correct." in response.content
    assert logged_in_id(client) is None


def test_login_is_throttled_after_repeated_failures(client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"email": user.email, "password": "wrong-password"})

    response = client.post(LOGIN, {"email": user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert logged_in_id(client) is None


def test_login_post_without_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"email": user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 403
    assert b"Your form has expired" in response.content
    assert logged_in_id(client) is None


def test_login_post_with_csrf_token_works(user):
    client, token = csrf_client_with_token(LOGIN)

    response = client.post(
        LOGIN, {"email": user.email, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert logged_in_id(client) == str(user.pk)


def test_logout_needs_post_with_csrf(user):
    client, token = csrf_client_with_token(LOGIN)
    client.force_login(user)

    assert client.get(LOGOUT).status_code == 405
    assert client.post(LOGOUT).status_code == 403
    assert logged_in_id(client) == str(user.pk)

    response = client.post(LOGOUT, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 302
    assert logged_in_id(client) is None
    assert token  # the page handed out a token before login rotated it


def test_header_shows_account_menu_only_when_logged_in(client, user):
    anonymous = client.get("/").content.decode()
    client.force_login(user)
    member = client.get("/").content.decode()

    assert 'href="/accounts/register/"' in anonymous
    assert f'action="{LOGOUT}"' not in anonymous
    assert f'action="{LOGOUT}"' in member
    assert user.first_name in member


# --- registration --------------------------------------------------------------------------------


def test_register_creates_the_account_and_logs_in(client):
    response = client.post(REGISTER, register_data(email="New.Reader@Example.com"))

    assert response.status_code == 302
    user = User.objects.get(username="newreader")
    assert user.email == "new.reader@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_id(client) == str(user.pk)


def test_register_with_duplicate_email_shows_the_error_and_creates_nobody(client, user):
    response = client.post(REGISTER, register_data(email=user.email.upper()))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["A user with this email already exists."]
    assert User.objects.count() == 1
    assert logged_in_id(client) is None


def test_register_with_weak_password_shows_the_validators_and_creates_nobody(client):
    response = client.post(REGISTER, register_data(password="12345678", password2="12345678"))

    errors = response.context["form"].errors["password"]
    assert "This password is too common." in errors
    assert "This password is entirely numeric." in errors
    assert b'aria-invalid="true"' in response.content
    assert not User.objects.exists()


def test_register_with_mismatched_passwords_creates_nobody(client):
    response = client.post(REGISTER, register_data(password2="something-else-99"))

    assert response.context["form"].errors["password2"] == ["The two passwords do not match."]
    assert not User.objects.exists()


def test_register_with_bad_username_creates_nobody(client):
    response = client.post(REGISTER, register_data(username="has spaces!"))

    assert "username" in response.context["form"].errors
    assert not User.objects.exists()


# --- password reset ------------------------------------------------------------------------------


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(request_reset, user):
    unknown = request_reset("nobody@example.com")
    assert mail.outbox == []
    known = request_reset(user.email)

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_password_reset_mail_links_to_the_confirm_page_and_shows_uid_and_token(request_reset, user, settings):
    settings.SITE_URL = "https://shop.example.com"

    request_reset(user.email)

    [message] = mail.outbox
    uid, token = re.search(r"/accounts/password-reset/confirm/([^/]+)/([^/]+)/", message.body).groups()
    link = "https://shop.example.com" + reverse("accounts:password_reset_confirm", args=[uid, token])
    html = message.alternatives[0][0]
    assert message.subject == "Reset your Bookstore password"
    assert link in message.body
    assert f"uid:   {uid}" in message.body
    assert f"token: {token}" in message.body
    assert f'href="{link}"' in html
    assert token in html


def test_password_reset_confirm_sets_the_new_password_once(client, request_reset, user, settings):
    settings.SITE_URL = "http://testserver"
    request_reset(user.email)
    link = reset_link_from_mail()

    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(link).status_code == 400  # the token died with the old password


def test_password_reset_confirm_with_bad_link_changes_nothing(client, user):
    link = reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"])

    page = client.get(link)
    response = client.post(link, {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert page.status_code == response.status_code == 400
    assert b"This link is not valid" in response.content
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_reset_confirm_with_weak_password_changes_nothing(client, request_reset, user, settings):
    settings.SITE_URL = "http://testserver"
    request_reset(user.email)
    link = reset_link_from_mail()

    response = client.post(link, {"new_password": "password", "new_password2": "password"})

    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["new_password"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


# --- password change and profile -----------------------------------------------------------------


def test_account_pages_need_login(client):
    for path in (CHANGE, PROFILE):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={path}"


def test_password_change_keeps_this_session_logged_in(client, user):
    client.force_login(user)

    response = client.post(
        CHANGE,
        {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(PROFILE).status_code == 200
    assert logged_in_id(client) == str(user.pk)


def test_password_change_logs_out_other_sessions(client, user):
    other_browser = Client()
    other_browser.force_login(user)
    client.force_login(user)

    client.post(
        CHANGE,
        {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert other_browser.get(PROFILE).status_code == 302


def test_password_change_with_wrong_old_password_changes_nothing(client, user):
    client.force_login(user)

    response = client.post(
        CHANGE, {"old_password": "not-it", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.context["form"].errors["old_password"] == ["The current password is not correct."]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_profile_update_saves_names_and_username(client, user):
    client.force_login(user)

    response = client.post(PROFILE, {"username": "renamed", "first_name": "Grace", "last_name": "Hopper"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name) == ("renamed", "Grace", "Hopper")


def test_profile_update_with_taken_username_changes_nothing(client, user):
    other = UserFactory()
    client.force_login(user)

    response = client.post(PROFILE, {"username": other.username.upper(), "first_name": "X", "last_name": "Y"})

    assert response.context["form"].errors["username"] == ["A user with this username already exists."]
    user.refresh_from_db()
    assert user.first_name == "Ada"
    assert user.username != other.username.upper()


@pytest.mark.django_db
def test_register_page_shares_the_api_rate_limit(client, api_client, settings):
    from django.conf import settings as live_settings

    allowed = int(live_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["register"].split("/")[0])
    for n in range(allowed):
        body = {"email": f"api{n}@example.com", "username": f"api{n}", "password": "a-long-Enough-pass-77"}
        assert api_client.post("/api/auth/register/", body, format="json").status_code == 201

    response = client.post(reverse("accounts:register"), register_data())

    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert not User.objects.filter(email=register_data()["email"]).exists()
    assert logged_in_id(client) is None


@pytest.mark.django_db
def test_password_reset_page_is_rate_limited_and_sends_nothing_more(
    client, user, django_capture_on_commit_callbacks
):
    from django.conf import settings as live_settings

    allowed = int(live_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["password_reset"].split("/")[0])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(allowed):
            client.post(reverse("accounts:password_reset"), {"email": user.email})
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert response.status_code == 429
    # Requests within the same second get the same token, hence the same mail, sent once (its key).
    assert len(mail.outbox) == sent >= 1

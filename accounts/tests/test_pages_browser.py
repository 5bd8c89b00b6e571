"""The account pages in a real Chromium: register, log in and out, validation, password reset by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests_browser import screenshot

pytestmark = pytest.mark.browser

User = get_user_model()
NEW_PASSWORD = "a-Fresh-passphrase-42"


def session_cookie(page):
    return [cookie for cookie in page.context.cookies() if cookie["name"] == "sessionid"]


def fill_register_form(page, *, email, username="newreader", password=NEW_PASSWORD, confirm=None):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Username").fill(username)
    page.get_by_label("First name (optional)").fill("Nora")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(confirm or password)
    page.get_by_role("button", name="Create account").click()


def log_in_with_form(page, *, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_register_logs_in_then_logout_by_post(page, live_server):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Register").click()

    fill_register_form(page, email="nora@example.com")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text("Your account has been created")
    account_menu = page.locator("details.account-menu")
    expect(account_menu.locator("summary")).to_contain_text("Nora")
    user = User.objects.get(email="nora@example.com")
    assert Session.objects.count() == 1
    assert session_cookie(page)

    account_menu.locator("summary").click()
    account_menu.get_by_role("button", name="Log out").click()

    expect(page.locator(".messages")).to_contain_text("You have been logged out.")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    assert Session.objects.count() == 0
    assert User.objects.filter(pk=user.pk, is_active=True).exists()


def test_login_with_wrong_password_shows_an_error_and_no_session(page, live_server):
    user = UserFactory()

    log_in_with_form(page, email=user.email, password="not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("The email or password is not correct.")
    assert session_cookie(page) == []
    assert Session.objects.count() == 0
    page.goto("/accounts/profile/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/accounts/profile/")


def test_login_returns_to_the_page_that_asked(page, live_server):
    user = UserFactory(first_name="Grace")
    page.goto("/accounts/profile/")

    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/profile/")
    expect(page.locator(".messages")).to_contain_text("Welcome back, Grace.")
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()


def test_register_shows_duplicate_email_and_weak_password_errors(page):
    taken = UserFactory()
    page.goto("/accounts/register/")

    fill_register_form(page, email=taken.email)

    email_input = page.get_by_label("Email")
    expect(email_input).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_error")).to_have_text("A user with this email already exists.")
    expect(email_input).to_have_value(taken.email)

    fill_register_form(page, email="fresh@example.com", password="12345678")

    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    errors = page.locator("#id_password_error")
    expect(errors).to_contain_text("This password is too common.")
    expect(errors).to_contain_text("This password is entirely numeric.")
    screenshot(page, "register-errors")
    assert User.objects.count() == 1
    assert session_cookie(page) == []


def test_password_reset_by_email_then_the_new_password_works(page, live_server, settings):
    settings.SITE_URL = live_server.url
    user = UserFactory()

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send reset link").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    [message] = mail.outbox
    assert message.to == [user.email]
    link = re.search(r"(http://\S+/accounts/password-reset/confirm/\S+/)", message.body).group(1)
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page.get_by_text(user.email)).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".messages")).to_contain_text("Your password has been changed.")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    log_in_with_form(page, email=user.email, password=NEW_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("details.account-menu")).to_be_visible()

    page.goto(link)  # a used link is dead
    expect(page.get_by_role("heading", name="This link is not valid")).to_be_visible()


def test_profile_edit_and_password_change_keep_the_session(page, browser_login, live_server):
    user = UserFactory(first_name="Ada")
    browser_login(user)

    page.goto("/accounts/profile/")
    page.get_by_label("First name").fill("Grace")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator(".messages")).to_contain_text("Your profile has been saved.")
    expect(page.locator("details.account-menu summary")).to_contain_text("Grace")

    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill(DEFAULT_PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/profile/")
    expect(page.locator(".messages")).to_contain_text("Your password has been changed.")
    user.refresh_from_db()
    assert user.first_name == "Grace"
    assert user.check_password(NEW_PASSWORD)

"""The Content-Security-Policy in a real Chromium. Every browser test fails on a violation (the `page`
fixture listens for them); this module proves the listener would catch one, and walks the account pages
that other browser tests do not open."""

import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.factories import UserFactory
from catalog.factories import BookFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("inject", "code", "refused"),
    [
        ("add_script_tag", "window.injected = true;", "inline script"),
        ("add_style_tag", "body { display: none; }", "inline style"),
    ],
)
def test_an_injected_inline_script_or_style_is_refused_and_the_refusal_is_caught(
    page, csp_violations, inject, code, refused
):
    BookFactory(title="Middlemarch")
    page.goto("/")

    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        getattr(page, inject)(content=code)

    deadline = time.monotonic() + 5
    while not csp_violations and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate("window.injected") is None
    expect(page.locator("body")).to_be_visible()
    assert any(refused in violation for violation in csp_violations), csp_violations
    csp_violations.clear()  # expected here: the fixture fails any other test that has one


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/profile/", "Your profile"),
        ("/accounts/sessions/", "Where you are logged in"),
        ("/accounts/preferences/", "Your preferences"),
        ("/accounts/password/", "Change your password"),
        ("/accounts/close/", "Close your account"),
        ("/orders/", "Your orders"),
        ("/wishlist/", None),
    ],
)
def test_the_account_pages_work_under_the_policy(page, browser_login, path, heading):
    browser_login(UserFactory(first_name="Grace"))

    response = page.goto(path)

    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.locator(".account-menu summary").click()
    expect(page.locator(".account-menu").get_by_role("link", name="Where you are logged in")).to_be_visible()


def test_log_out_all_other_devices_from_the_sessions_page(page, browser_login, live_server):
    from django.test import Client

    user = UserFactory()
    other_browser = Client()
    other_browser.force_login(user)
    browser_login(user)
    page.goto("/accounts/sessions/")
    expect(page.get_by_role("row")).to_have_count(3)  # the header and two logins

    page.get_by_role("button", name="Log out all other devices").click()

    expect(page.get_by_text("Logged out 1 other device.")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(2)
    assert other_browser.get("/accounts/profile/").status_code == 302

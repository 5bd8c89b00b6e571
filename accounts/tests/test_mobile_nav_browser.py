"""The header's account menu on phones and desktops: Profile, the "Notify me list", Change password and
Log out stay on the screen and work, from 320 px up."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from tests_browser import screenshot, within_viewport

pytestmark = pytest.mark.browser

MENU_LINKS = ["Profile", "Notify me list", "Change password"]


def open_account_menu(page):
    page.locator(".account-menu summary").click()
    menu = page.locator(".account-menu ul")
    expect(menu).to_be_visible()
    return menu


@pytest.mark.parametrize("width", [320, 360, 414])
def test_account_menu_stays_on_narrow_screens(page, browser_login, width):
    user = UserFactory(first_name="Nora")
    browser_login(user)
    page.set_viewport_size({"width": width, "height": 740})
    page.goto("/")

    menu = open_account_menu(page)

    for name in MENU_LINKS:
        link = menu.get_by_role("link", name=name)
        expect(link).to_be_visible()
        assert within_viewport(page, link), f"{name} is off the screen at {width} px"
    log_out = menu.get_by_role("button", name="Log out")
    assert within_viewport(page, log_out)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out sideways
    screenshot(page, f"mobile-menu-{width}")


def test_mobile_navigation_reaches_profile_password_and_log_out(page, screen, browser_login):
    user = UserFactory(first_name="Nora")
    browser_login(user)
    page.goto("/")

    open_account_menu(page).get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name="Your profile", level=1)).to_be_visible()
    screenshot(page, f"profile-{screen}")

    open_account_menu(page).get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", name="Change your password", level=1)).to_be_visible()

    open_account_menu(page).get_by_role("button", name="Log out").click()
    expect(page.locator(".messages")).to_contain_text("You have been logged out.")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()

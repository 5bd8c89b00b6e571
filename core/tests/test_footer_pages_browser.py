"""The footer's pages in a real Chromium at desktop and phone sizes: every page links to them."""

import importlib

import pytest
from django.apps import apps
from django.contrib.flatpages.models import FlatPage
from playwright.sync_api import expect

from tests_browser import screenshot

pytestmark = pytest.mark.browser

seed_footer_pages = importlib.import_module("core.migrations.0002_footer_pages").seed_footer_pages

FOOTER_PAGES = {
    "Contact": "Contact us",
    "Shipping & returns": "Shipping & returns",
    "Privacy": "Privacy",
    "Terms": "Terms of sale",
}


def test_footer_links_open_each_page(page, screen):
    FlatPage.objects.all().delete()  # an earlier test that committed rows may have flushed them
    seed_footer_pages(apps, None)
    page.goto("/")

    for link, heading in FOOTER_PAGES.items():
        page.get_by_role("navigation", name="Footer").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page).to_have_title(f"{heading} · Bookstore")
        screenshot(page, f"page-{link.split()[0].lower()}-{screen}")

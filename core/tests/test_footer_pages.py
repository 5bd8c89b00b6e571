"""The footer's pages (django.contrib.flatpages): seeded by core.migrations.0002_footer_pages, served
under /pages/, linked from every page's footer, written by staff in the admin."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db

FOOTER = {
    "/pages/contact/": "Contact us",
    "/pages/shipping-returns/": "Shipping &amp; returns",
    "/pages/privacy/": "Privacy",
    "/pages/terms/": "Terms of sale",
}

seed_footer_pages = importlib.import_module("core.migrations.0002_footer_pages").seed_footer_pages


@pytest.fixture
def seeded():
    """The migration's pages (a test that committed rows may have flushed them): seeded afresh."""
    FlatPage.objects.all().delete()
    seed_footer_pages(apps, None)


def test_seeding_creates_the_four_pages_on_the_site_and_is_idempotent(seeded):
    page = FlatPage.objects.get(url="/contact/")
    page.content = "<p>Edited by staff.</p>"
    page.save()

    seed_footer_pages(apps, None)

    assert sorted(FlatPage.objects.values_list("url", flat=True)) == [
        "/contact/",
        "/privacy/",
        "/shipping-returns/",
        "/terms/",
    ]
    assert FlatPage.objects.get(url="/contact/").content == "<p>Edited by staff.</p>"  # never overwritten
    assert all(list(p.sites.all()) == [Site.objects.get(pk=settings.SITE_ID)] for p in FlatPage.objects.all())


@pytest.mark.parametrize(("path", "title"), FOOTER.items())
def test_each_page_is_served_in_the_shop_layout(client, seeded, path, title):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 id="page-heading">{title}</h1>' in html
    assert '<a class="skip-link" href="#main">' in html  # the shop's layout


def test_every_page_links_to_them_in_its_footer(client, seeded):
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]

    for path in FOOTER:
        assert f'href="{path}"' in footer


def test_an_unknown_page_is_the_404_page(client, seeded):
    assert client.get("/pages/no-such-page/").status_code == 404


def test_staff_edit_them_in_the_admin(client, seeded):
    client.force_login(
        get_user_model().objects.create_superuser(
            username="boss", email="boss@example.com", password="x-Pass-123!"
        )
    )
    page = FlatPage.objects.get(url="/terms/")

    response = client.post(
        f"/admin/flatpages/flatpage/{page.pk}/change/",
        {"url": "/terms/", "title": "Terms", "content": "<p>New terms.</p>", "sites": [settings.SITE_ID]},
    )

    assert response.status_code == 302
    assert "New terms." in client.get("/pages/terms/").content.decode()

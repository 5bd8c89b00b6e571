"""A shopper's preferences: GET/PATCH /api/users/me/preferences/, the preferences page, and
`preferences_for` (the defaults until a first change, without writing anything)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from catalog.factories import GenreFactory
from catalog.models import ShopperPreferences
from catalog.selectors import preferences_for

URL = "/api/users/me/preferences/"
DEFAULTS = {"restock_alerts": True, "review_invites": True, "marketing_emails": False, "favourite_genres": []}

pytestmark = pytest.mark.django_db


@pytest.fixture
def genres():
    return [GenreFactory(slug=slug, name=slug.title()) for slug in ("crime", "poetry", "travel")]


def test_preferences_start_at_the_contracts_defaults_without_a_row(user, user_client):
    response = user_client.get(URL)

    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert not ShopperPreferences.objects.exists()
    assert preferences_for(user=user).restock_alerts is True


def test_patch_changes_only_what_it_sends(user, user_client, genres):
    response = user_client.patch(
        URL, {"marketing_emails": True, "favourite_genres": ["travel", "crime"]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json() == {**DEFAULTS, "marketing_emails": True, "favourite_genres": ["crime", "travel"]}
    response = user_client.patch(URL, {"restock_alerts": False}, format="json")
    assert response.json() == {
        **DEFAULTS,
        "restock_alerts": False,
        "marketing_emails": True,
        "favourite_genres": ["crime", "travel"],
    }
    assert preferences_for(user=user).favourite_genres == ("crime", "travel")


def test_favourite_genres_replace_the_list(user, user_client, genres):
    user_client.patch(URL, {"favourite_genres": ["crime", "poetry"]}, format="json")

    response = user_client.patch(URL, {"favourite_genres": []}, format="json")

    assert response.json()["favourite_genres"] == []


def test_an_unknown_genre_is_a_400_and_changes_nothing(user, user_client, genres):
    user_client.patch(URL, {"favourite_genres": ["crime"], "review_invites": False}, format="json")

    response = user_client.patch(
        URL, {"favourite_genres": ["crime", "cookery"], "review_invites": True}, format="json"
    )

    assert response.status_code == 400
    assert "cookery" in response.json()["favourite_genres"][0]
    assert preferences_for(user=user) == preferences_for(user=user).__class__(
        restock_alerts=True, review_invites=False, marketing_emails=False, favourite_genres=("crime",)
    )


@pytest.mark.parametrize(
    "body",
    [
        {"restock_alerts": "perhaps"},
        {"favourite_genres": "crime"},
        {"favourite_genres": [["crime"]]},
        {"favourite_genres": ["not a slug"]},
    ],
)
def test_malformed_input_is_a_400(user, user_client, genres, body):
    assert user_client.patch(URL, body, format="json").status_code == 400
    assert not ShopperPreferences.objects.exists()


def test_each_user_has_their_own(user, user_client, genres):
    from accounts.factories import UserFactory

    other = UserFactory()
    user_client.patch(URL, {"marketing_emails": True}, format="json")

    assert preferences_for(user=other).marketing_emails is False


def test_preferences_need_a_login():
    assert APIClient().get(URL).status_code == 401
    assert APIClient().patch(URL, {"marketing_emails": True}, format="json").status_code == 401
    assert not ShopperPreferences.objects.exists()


def test_the_preferences_page_shows_and_saves_them(user, genres):
    browser = Client()
    browser.force_login(user)

    page = browser.get("/accounts/preferences/")
    assert page.status_code == 200
    assert page.context["form"]["restock_alerts"].value() is True

    response = browser.post(
        "/accounts/preferences/", {"restock_alerts": "on", "favourite_genres": ["poetry"]}, follow=True
    )

    assert b"Your preferences have been saved." in response.content
    assert preferences_for(user=user) == preferences_for(user=user).__class__(
        restock_alerts=True, review_invites=False, marketing_emails=False, favourite_genres=("poetry",)
    )


def test_the_preferences_page_needs_a_login():
    response = Client().get("/accounts/preferences/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

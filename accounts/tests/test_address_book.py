"""The address book: /api/addresses/ and the account pages, through `accounts.address_book`."""

import pytest
from django.urls import reverse

from accounts.address_book import ADDRESS_BOOK_LIMIT
from accounts.factories import ADDRESS, AddressFactory, UserFactory
from accounts.models import Address

pytestmark = pytest.mark.django_db

ADDRESSES = "/api/addresses/"
GB = {
    "full_name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postal_code": "sw1a1aa",
    "country": "gb",
}


def test_create_normalises_and_the_first_address_is_the_default(user, user_client):
    response = user_client.post(ADDRESSES, GB, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "id": body["id"],
        "full_name": "Ada Lovelace",
        "line1": "12 Analytical Row",
        "line2": "",
        "city": "London",
        "region": "",
        "postal_code": "SW1A 1AA",
        "country": "GB",
        "phone": "",
        "is_default": True,
    }
    second = user_client.post(ADDRESSES, ADDRESS, format="json").json()
    assert second["is_default"] is False and second["region"] == "IL"


def test_setting_the_default_clears_it_on_the_others(user, user_client):
    first = AddressFactory(user=user)
    second = AddressFactory(user=user, is_default=False)

    response = user_client.patch(f"{ADDRESSES}{second.pk}/", {"is_default": True}, format="json")

    assert response.status_code == 200 and response.json()["is_default"] is True
    assert list(Address.objects.filter(user=user, is_default=True)) == [second]
    assert [a["id"] for a in user_client.get(ADDRESSES).json()["results"]] == [second.pk, first.pk]


def test_a_new_default_address_takes_the_default(user, user_client):
    first = AddressFactory(user=user)

    created = user_client.post(ADDRESSES, {**GB, "is_default": True}, format="json").json()

    assert created["is_default"] is True
    first.refresh_from_db()
    assert first.is_default is False


def test_patch_checks_the_whole_address_again(user, user_client):
    address = AddressFactory(user=user)

    response = user_client.patch(f"{ADDRESSES}{address.pk}/", {"country": "GB"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "postal_code": ["Enter a valid postal code for United Kingdom, such as EC1Y 8SY."]
    }
    address.refresh_from_db()
    assert (address.country.code, address.postal_code) == ("US", "62701")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "USA"}, "country"),
        ({"postal_code": "9021"}, "postal_code"),
        ({"postal_code": ""}, "postal_code"),
        ({"full_name": "  "}, "full_name"),
        ({"line1": ""}, "line1"),
        ({"city": "x" * 101}, "city"),
        ({"region": "Narnia"}, "region"),
    ],
)
def test_a_bad_address_is_400_naming_the_field_and_nothing_is_stored(user, user_client, change, field):
    response = user_client.post(ADDRESSES, {**ADDRESS, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Address.objects.exists()


def test_others_addresses_are_not_found(user_client):
    theirs = AddressFactory(user=UserFactory())

    for method in ("get", "patch", "delete"):
        response = getattr(user_client, method)(f"{ADDRESSES}{theirs.pk}/", {"city": "Mine"}, format="json")
        assert response.status_code == 404
    assert Address.objects.get(pk=theirs.pk).city == ADDRESS["city"]
    assert user_client.get(ADDRESSES).json()["count"] == 0


def test_deleting_the_default_makes_the_oldest_other_the_default(user, user_client):
    default = AddressFactory(user=user)
    older = AddressFactory(user=user, is_default=False)
    AddressFactory(user=user, is_default=False)

    assert user_client.delete(f"{ADDRESSES}{default.pk}/").status_code == 204

    assert list(Address.objects.filter(user=user, is_default=True)) == [older]


def test_the_address_book_is_bounded(user, user_client):
    AddressFactory.create_batch(ADDRESS_BOOK_LIMIT, user=user, is_default=False)

    response = user_client.post(ADDRESSES, ADDRESS, format="json")

    assert response.status_code == 409 and response.json()["code"] == "address_book_full"
    assert Address.objects.filter(user=user).count() == ADDRESS_BOOK_LIMIT


def test_anonymous_is_401(api_client):
    assert api_client.get(ADDRESSES).status_code == 401
    assert api_client.post(ADDRESSES, ADDRESS, format="json").status_code == 401


# --- account pages ---------------------------------------------------------------------------------


@pytest.fixture
def shopper(client, user):
    client.force_login(user)
    return client


def test_the_pages_add_edit_make_default_and_delete(shopper, user):
    assert shopper.get(reverse("accounts:addresses")).status_code == 200
    form = {**ADDRESS, "postal_code": "62701 1234"}

    added = shopper.post(reverse("accounts:address_add"), form)

    assert added.status_code == 302
    first = Address.objects.get(user=user)
    assert (first.postal_code, first.is_default) == ("62701-1234", True)
    other = AddressFactory(user=user, is_default=False, city="Chicago")
    edited = shopper.post(reverse("accounts:address_edit", args=[other.pk]), {**ADDRESS, "city": "Peoria"})
    assert edited.status_code == 302 and Address.objects.get(pk=other.pk).city == "Peoria"
    shopper.post(reverse("accounts:address_default", args=[other.pk]))
    assert Address.objects.get(is_default=True) == Address.objects.get(pk=other.pk)
    shopper.post(reverse("accounts:address_delete", args=[first.pk]))
    page = shopper.get(reverse("accounts:addresses")).content.decode()
    assert "Peoria" in page and "Springfield" not in page


def test_the_page_shows_the_rules_words_beside_the_field(shopper, user):
    response = shopper.post(reverse("accounts:address_add"), {**ADDRESS, "postal_code": "ABCDE"})

    assert response.status_code == 200
    assert response.context["form"].errors["postal_code"] == [
        "Enter a valid ZIP code for United States of America, such as 95014."
    ]
    assert not Address.objects.exists()


def test_the_profile_page_and_the_menu_link_to_the_address_book(shopper):
    html = shopper.get(reverse("accounts:profile")).content.decode()

    assert html.count(reverse("accounts:addresses")) == 2  # the header's account menu and the profile


def test_someone_elses_address_page_is_404(shopper):
    theirs = AddressFactory(user=UserFactory())

    assert shopper.get(reverse("accounts:address_edit", args=[theirs.pk])).status_code == 404
    shopper.post(reverse("accounts:address_delete", args=[theirs.pk]))
    assert Address.objects.filter(pk=theirs.pk).exists()

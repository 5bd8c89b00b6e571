"""Shipping methods and tax rates for staff: the API and the admin write through the same services and
refuse with the same words; books' tax class."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import StaffFactory
from catalog.factories import BookFactory
from orders.factories import ShippingMethodFactory, TaxRateFactory
from orders.models import ShippingMethod, TaxRate
from orders.taxes import tax_rates_for_destination

pytestmark = pytest.mark.django_db

METHODS = "/api/admin/shipping-methods/"
RATES = "/api/admin/tax-rates/"
GROUND = {
    "code": "Ground",
    "name": "Ground",
    "countries": ["us", "CA", "US"],
    "base_price": "5.00",
    "per_item_price": "1.00",
    "free_over": "50.00",
    "estimated_days_min": 3,
    "estimated_days_max": 7,
}


def test_staff_create_a_method_in_its_stored_form(staff_client):
    response = staff_client.post(METHODS, GROUND, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["countries"], body["free_over"], body["is_active"]) == (
        "ground",
        ["CA", "US"],
        "50.00",
        True,
    )
    assert (
        staff_client.patch(f"{METHODS}{body['id']}/", {"free_over": None}, format="json").json()["free_over"]
        is None
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "no spaces"}, "code"),
        ({"countries": ["XX"]}, "countries"),
        ({"countries": "US"}, "countries"),
        ({"base_price": "-1"}, "base_price"),
        ({"base_price": "1.001"}, "base_price"),
        ({"estimated_days_min": 9}, "estimated_days_max"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_method_is_400_and_nothing_is_stored(staff_client, change, field):
    response = staff_client.post(METHODS, {**GROUND, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ShippingMethod.objects.exists()


def test_a_method_code_is_unique(staff_client):
    ShippingMethodFactory(code="ground")

    response = staff_client.post(METHODS, GROUND, format="json")

    assert response.status_code == 400 and response.json()["code"] == [
        "A shipping method with this code already exists."
    ]


def test_staff_write_tax_rates_unique_per_place_and_class(staff_client):
    created = staff_client.post(
        RATES,
        {"country": "us", "region": "california", "tax_class": "reduced", "rate": "0.0725"},
        format="json",
    )

    assert created.status_code == 201, created.content
    assert created.json() == {
        "id": created.json()["id"],
        "country": "US",
        "region": "CA",
        "tax_class": "reduced",
        "rate": "0.0725",
    }
    twice = staff_client.post(
        RATES, {"country": "US", "region": "CA", "tax_class": "reduced", "rate": "0.05"}, format="json"
    )
    assert twice.status_code == 400 and "non_field_errors" in twice.json()
    assert TaxRate.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"country": "XX", "tax_class": "reduced", "rate": "0.07"},
        {"country": "US", "tax_class": "luxury", "rate": "0.07"},
        {"country": "US", "tax_class": "reduced", "rate": "1.5"},
        {"country": "US", "tax_class": "reduced", "rate": "0.12345"},
        {"country": "US", "region": "Narnia", "tax_class": "reduced", "rate": "0.07"},
    ],
)
def test_a_bad_rate_is_400_and_nothing_is_stored(staff_client, body):
    assert staff_client.post(RATES, body, format="json").status_code == 400
    assert not TaxRate.objects.exists()


def test_a_region_rate_replaces_the_country_rate():
    TaxRateFactory(country="US", region="", tax_class="reduced", rate=Decimal("0.0400"))
    TaxRateFactory(country="US", region="NY", tax_class="reduced", rate=Decimal("0.0800"))

    assert tax_rates_for_destination(country="US", region="NY")["reduced"] == Decimal("0.0800")
    assert tax_rates_for_destination(country="US", region="OH")["reduced"] == Decimal("0.0400")
    assert tax_rates_for_destination(country="GB")["reduced"] == Decimal("0.0000")


def test_customers_cannot_write_methods_or_rates(user_client):
    assert user_client.post(METHODS, GROUND, format="json").status_code == 403
    assert user_client.get(RATES).status_code == 403


def test_the_admin_writes_methods_and_rates_through_the_services(client):
    client.force_login(StaffFactory(is_superuser=True))

    refused = client.post(
        reverse("admin:orders_shippingmethod_add"),
        {**GROUND, "countries": ["US"], "free_over": "", "estimated_days_min": "8", "is_active": "on"},
    )
    added = client.post(
        reverse("admin:orders_shippingmethod_add"),
        {**GROUND, "countries": ["US"], "free_over": "", "is_active": "on"},
    )
    rate = client.post(
        reverse("admin:orders_taxrate_add"),
        {"country": "US", "region": "ca", "tax_class": "standard", "rate": "0.0725"},
    )
    bad_rate = client.post(
        reverse("admin:orders_taxrate_add"),
        {"country": "US", "region": "CA", "tax_class": "standard", "rate": "0.05"},
    )

    assert refused.status_code == 200 and refused.context["adminform"].form.errors["estimated_days_max"] == [
        "Must not be less than estimated_days_min."
    ]
    assert added.status_code == 302
    assert ShippingMethod.objects.get().code == "ground"
    assert rate.status_code == 302 and TaxRate.objects.get().region == "CA"
    assert bad_rate.status_code == 200 and "already exists" in bad_rate.content.decode()


def test_staff_set_a_books_tax_class(staff_client):
    book = BookFactory()

    response = staff_client.patch(f"/api/books/{book.pk}/", {"tax_class": "standard"}, format="json")
    refused = staff_client.patch(f"/api/books/{book.pk}/", {"tax_class": "luxury"}, format="json")

    assert response.status_code == 200 and response.json()["tax_class"] == "standard"
    assert refused.status_code == 400 and refused.json() == {
        "tax_class": ["Choose a tax class: standard, reduced, zero."]
    }

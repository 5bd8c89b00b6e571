"""Coupons: staff CRUD at /api/admin/coupons/ and the discount arithmetic (at checkout:
checkout/tests/test_coupons_at_checkout.py)."""

from decimal import Decimal

import pytest

from orders.coupons import coupon_terms
from orders.factories import CouponFactory, OrderFactory
from orders.models import Coupon
from orders.pricing import coupon_discount_compute

pytestmark = pytest.mark.django_db

URL = "/api/admin/coupons/"


# --- staff CRUD ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/admin/coupons/", "/api/admin/coupons"])
def test_staff_creates_a_percent_coupon_stored_upper_case(staff_client, path):
    response = staff_client.post(
        path,
        {
            "code": " spring-10 ",
            "percent_off": "10",
            "valid_from": "2030-03-01T00:00:00Z",
            "valid_until": "2030-04-01T00:00:00Z",
            "max_uses": 50,
            "min_subtotal": "20.00",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "SPRING-10"
    assert (body["percent_off"], body["amount_off"]) == ("10.00", None)
    assert (body["max_uses"], body["used_count"], body["min_subtotal"], body["is_active"]) == (
        50,
        0,
        "20.00",
        True,
    )
    assert Coupon.objects.get().code == "SPRING-10"


def test_staff_creates_an_amount_coupon_with_defaults(staff_client):
    response = staff_client.post(URL, {"code": "FIVE", "amount_off": "5"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount_off"], body["percent_off"], body["min_subtotal"]) == ("5.00", None, "0.00")
    assert (body["max_uses"], body["valid_from"], body["valid_until"]) == (None, None, None)


def test_staff_lists_retrieves_and_updates_coupons(staff_client):
    coupon = CouponFactory(code="OLD")

    listing = staff_client.get(URL).json()
    detail = staff_client.get(f"{URL}{coupon.id}/").json()
    patched = staff_client.patch(
        f"{URL}{coupon.id}", {"percent_off": "15", "is_active": False}, format="json"
    )

    assert listing["count"] == 1 and listing["results"][0]["code"] == "OLD"
    assert detail["id"] == coupon.id
    assert patched.status_code == 200, patched.content
    coupon.refresh_from_db()
    assert (coupon.percent_off, coupon.is_active) == (Decimal("15.00"), False)


def test_patch_keeping_its_own_code_is_fine(staff_client):
    coupon = CouponFactory(code="SAME")

    response = staff_client.patch(f"{URL}{coupon.id}/", {"code": "same"}, format="json")

    assert response.status_code == 200, response.content


def test_switch_from_percent_to_amount_needs_the_percent_cleared(staff_client):
    coupon = CouponFactory(code="SWITCH", percent_off=Decimal("10"))

    both = staff_client.patch(f"{URL}{coupon.id}/", {"amount_off": "5"}, format="json")
    switched = staff_client.patch(
        f"{URL}{coupon.id}/", {"amount_off": "5", "percent_off": None}, format="json"
    )

    assert both.status_code == 400
    assert switched.status_code == 200, switched.content
    coupon.refresh_from_db()
    assert (coupon.percent_off, coupon.amount_off) == (None, Decimal("5.00"))


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"code": "BOTH", "percent_off": "10", "amount_off": "5"}, "percent_off"),
        ({"code": "NONE"}, "percent_off"),
        ({"code": "NULLS", "percent_off": None, "amount_off": None}, "percent_off"),
        ({"code": "BIG", "percent_off": "100.01"}, "percent_off"),
        ({"code": "HUGE", "percent_off": "250"}, "percent_off"),
        ({"code": "ZERO", "percent_off": "0"}, "percent_off"),
        ({"code": "NEG", "amount_off": "-5"}, "amount_off"),
        ({"code": "TEXT", "amount_off": "lots"}, "amount_off"),
        ({"code": "", "percent_off": "10"}, "code"),
        ({"code": "   ", "percent_off": "10"}, "code"),
        ({"code": "X" * 41, "percent_off": "10"}, "code"),
        ({"code": "ß" * 30, "percent_off": "10"}, "code"),  # 60 characters once upper-cased
        ({"code": "USES", "percent_off": "10", "max_uses": 0}, "max_uses"),
        ({"code": "MIN", "percent_off": "10", "min_subtotal": "-1"}, "min_subtotal"),
        (
            {
                "code": "SAMEDAY",
                "percent_off": "10",
                "valid_from": "2030-01-01T00:00:00Z",
                "valid_until": "2030-01-01T00:00:00Z",
            },
            "valid_until",
        ),
        (
            {
                "code": "BACKWARDS",
                "percent_off": "10",
                "valid_from": "2030-02-01T00:00:00Z",
                "valid_until": "2030-01-01T00:00:00Z",
            },
            "valid_until",
        ),
        ({"code": "WHEN", "percent_off": "10", "valid_from": "soon"}, "valid_from"),
    ],
)
def test_invalid_coupon_is_400_and_not_saved(staff_client, payload, field):
    response = staff_client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Coupon.objects.exists()


def test_percent_off_of_exactly_100_is_allowed(staff_client):
    assert staff_client.post(URL, {"code": "FREE", "percent_off": "100"}, format="json").status_code == 201


def test_code_is_unique_case_insensitively(staff_client):
    CouponFactory(code="TEN")

    created = staff_client.post(URL, {"code": "ten", "percent_off": "5"}, format="json")
    other = CouponFactory(code="OTHER")
    renamed = staff_client.patch(f"{URL}{other.id}/", {"code": "Ten"}, format="json")

    assert created.status_code == 400 and "code" in created.json()
    assert renamed.status_code == 400 and "code" in renamed.json()
    assert Coupon.objects.filter(code="TEN").count() == 1
    other.refresh_from_db()
    assert other.code == "OTHER"


def test_max_uses_cannot_drop_below_the_uses_so_far(staff_client):
    coupon = CouponFactory(code="USED", max_uses=10, used_count=3)

    response = staff_client.patch(f"{URL}{coupon.id}/", {"max_uses": 2}, format="json")

    assert response.status_code == 400 and "max_uses" in response.json()
    coupon.refresh_from_db()
    assert coupon.max_uses == 10


def test_used_count_is_read_only(staff_client):
    coupon = CouponFactory(code="COUNT")

    response = staff_client.patch(f"{URL}{coupon.id}/", {"used_count": 99}, format="json")

    assert response.status_code == 200
    coupon.refresh_from_db()
    assert coupon.used_count == 0


def test_delete_unused_coupon_removes_it(staff_client):
    coupon = CouponFactory()

    response = staff_client.delete(f"{URL}{coupon.id}/")

    assert response.status_code == 204
    assert not Coupon.objects.filter(pk=coupon.pk).exists()


def test_delete_used_coupon_is_refused_and_changes_nothing(staff_client):
    coupon = CouponFactory()
    order = OrderFactory(coupon=coupon)

    response = staff_client.delete(f"{URL}{coupon.id}")

    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    coupon.refresh_from_db()
    assert coupon.is_active is True
    order.refresh_from_db()
    assert order.coupon == coupon
    assert staff_client.get(f"{URL}{coupon.id}/").status_code == 200


@pytest.mark.parametrize(
    "method, path",
    [("get", URL), ("post", URL), ("get", f"{URL}1/"), ("patch", f"{URL}1/"), ("delete", f"{URL}1/")],
)
def test_customer_is_403_and_anonymous_401(user_client, api_client, method, path):
    coupon = CouponFactory(pk=1, code="KEEP")
    payload = {"code": "NEW", "percent_off": "50"}

    assert getattr(user_client, method)(path, payload, format="json").status_code == 403
    assert getattr(api_client, method)(path, payload, format="json").status_code == 401
    assert list(Coupon.objects.values_list("code", "percent_off")) == [("KEEP", coupon.percent_off)]


# --- discount arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "percent, subtotal, discount",
    [
        ("10", "25.25", "2.53"),  # 2.525 rounds half up (banker's rounding would give 2.52)
        ("10", "25.15", "2.52"),  # 2.515 → 2.52
        ("10", "25.14", "2.51"),
        ("33.33", "10.00", "3.33"),
        ("12.5", "0.20", "0.03"),  # 0.025 → 0.03
        ("100", "19.99", "19.99"),
        ("0.01", "0.01", "0.00"),
    ],
)
def test_percent_discount_rounds_half_up_on_cents(percent, subtotal, discount):
    coupon = Coupon(percent_off=Decimal(percent))

    assert coupon_discount_compute(coupon=coupon_terms(coupon), subtotal=Decimal(subtotal)) == Decimal(
        discount
    )


@pytest.mark.parametrize("amount, discount", [("5.00", "5.00"), ("28.35", "28.35"), ("50.00", "28.35")])
def test_amount_discount_never_exceeds_the_subtotal(amount, discount):
    coupon = Coupon(amount_off=Decimal(amount))

    assert coupon_discount_compute(coupon=coupon_terms(coupon), subtotal=Decimal("28.35")) == Decimal(
        discount
    )

"""A bad coupon is refused with the same words by the staff API and the Django admin: both apply
`orders.coupons.coupon_clean`, and neither saves anything."""

import pytest

from catalog.tests.test_admin import form_data
from orders.coupons import MESSAGES
from orders.factories import CouponFactory
from orders.models import Coupon

pytestmark = pytest.mark.django_db

BAD_COUPONS = [
    ({"code": "BOTH", "percent_off": "10", "amount_off": "5"}, "percent_off", MESSAGES["one_kind"]),
    ({"code": "NONE"}, "percent_off", MESSAGES["one_kind"]),
    ({"code": "BIG", "percent_off": "100.01"}, "percent_off", MESSAGES["percent"]),
    ({"code": "ZERO", "percent_off": "0"}, "percent_off", MESSAGES["percent"]),
    ({"code": "NEG", "amount_off": "-5"}, "amount_off", MESSAGES["amount"]),
    ({"code": "CENTS", "amount_off": "5.001"}, "amount_off", MESSAGES["amount"]),
    ({"code": "  ", "percent_off": "10"}, "code", MESSAGES["code"]),
    ({"code": "ß" * 30, "percent_off": "10"}, "code", MESSAGES["code_too_long"]),
    ({"code": "taken", "percent_off": "10"}, "code", MESSAGES["code_taken"]),
    ({"code": "USES", "percent_off": "10", "max_uses": 0}, "max_uses", MESSAGES["max_uses"]),
    ({"code": "MIN", "percent_off": "10", "min_subtotal": "-1"}, "min_subtotal", MESSAGES["min_subtotal"]),
]


@pytest.fixture
def taken():
    return CouponFactory(code="TAKEN")


@pytest.mark.parametrize("terms, field, message", BAD_COUPONS)
def test_api_and_admin_refuse_the_same_bad_coupon_with_the_same_words(
    staff_client, admin_client, taken, terms, field, message
):
    api = staff_client.post("/api/admin/coupons/", terms, format="json")
    page = admin_client.get("/admin/orders/coupon/add/")
    admin = admin_client.post(
        "/admin/orders/coupon/add/", form_data(page, **{"min_subtotal": "0", "is_active": "on", **terms})
    )

    assert api.status_code == 400 and api.json()[field] == [message]
    assert admin.status_code == 200 and admin.context["adminform"].form.errors[field] == [message]
    assert list(Coupon.objects.values_list("code", flat=True)) == ["TAKEN"]


def test_admin_creates_and_changes_a_coupon_through_the_service(admin_client):
    page = admin_client.get("/admin/orders/coupon/add/")

    created = admin_client.post(
        "/admin/orders/coupon/add/", form_data(page, code=" spring ", percent_off="10", min_subtotal="0")
    )
    coupon = Coupon.objects.get()
    page = admin_client.get(f"/admin/orders/coupon/{coupon.pk}/change/")
    changed = admin_client.post(
        f"/admin/orders/coupon/{coupon.pk}/change/", form_data(page, percent_off="", amount_off="5")
    )

    assert created.status_code == 302 and changed.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.code, coupon.percent_off, str(coupon.amount_off)) == ("SPRING", None, "5.00")

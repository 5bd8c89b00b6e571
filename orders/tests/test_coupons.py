"""Coupons: staff CRUD at /api/admin/coupons/, and what a coupon does (or refuses to do) at checkout."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from cart.factories import CartItemFactory
from cart.models import CartItem
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from orders.coupons import coupon_discount
from orders.factories import CouponFactory, OrderFactory
from orders.models import Coupon, Order, OrderStatus
from orders.services import order_transition

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

    assert coupon_discount(coupon=coupon, subtotal=Decimal(subtotal)) == Decimal(discount)


@pytest.mark.parametrize("amount, discount", [("5.00", "5.00"), ("28.35", "28.35"), ("50.00", "28.35")])
def test_amount_discount_never_exceeds_the_subtotal(amount, discount):
    coupon = Coupon(amount_off=Decimal(amount))

    assert coupon_discount(coupon=coupon, subtotal=Decimal("28.35")) == Decimal(discount)


# --- at checkout ---------------------------------------------------------------------------------


@pytest.fixture
def cart(user):
    """A cart worth 25.25: 2 × 10.00 + 1 × 5.25."""
    first = BookFactory(price=Decimal("10.00"), stock=5)
    second = BookFactory(price=Decimal("5.25"), stock=5)
    CartItemFactory(cart__user=user, book=first, quantity=2)
    CartItemFactory(cart__user=user, book=second, quantity=1)
    return first, second


def test_percent_coupon_at_checkout(user_client, cart, django_capture_on_commit_callbacks):
    coupon = CouponFactory(code="TEN", percent_off=Decimal("10"))

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post("/api/orders/", {"coupon_code": " ten "}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["subtotal"], body["discount"], body["total"], body["status"]) == (
        "25.25",
        "2.53",
        "22.72",
        "pending",
    )
    coupon.refresh_from_db()
    assert coupon.used_count == 1
    assert Order.objects.get().coupon == coupon
    assert "2.53" in mail.outbox[0].body


def test_amount_coupon_at_checkout(user_client, cart):
    CouponFactory(code="FIVE", percent_off=None, amount_off=Decimal("5.00"))

    body = user_client.post("/api/orders/", {"coupon_code": "five"}, format="json").json()

    assert (body["subtotal"], body["discount"], body["total"]) == ("25.25", "5.00", "20.25")


def test_coupon_worth_more_than_the_cart_makes_a_free_order_paid_at_once(user, user_client, cart):
    CouponFactory(code="GIFT", percent_off=None, amount_off=Decimal("100.00"))

    response = user_client.post("/api/orders/", {"coupon_code": "GIFT"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["subtotal"], body["discount"], body["total"]) == ("25.25", "25.25", "0.00")
    assert body["status"] == "paid"
    order = Order.objects.get()
    assert order.paid_at is not None
    assert list(order.status_changes.values_list("from_status", "to_status")) == [
        ("", "pending"),
        ("pending", "paid"),
    ]
    assert [book.stock for book in Book.objects.filter(pk__in=[b.pk for b in cart]).order_by("pk")] == [3, 4]


def test_coupon_use_is_counted_per_order(user, user_client, cart):
    coupon = CouponFactory(code="TWICE", max_uses=2)
    user_client.post("/api/orders/", {"coupon_code": "TWICE"}, format="json")
    CartItemFactory(cart__user=user, book=cart[0], quantity=1)

    second = user_client.post("/api/orders/", {"coupon_code": "TWICE"}, format="json")
    CartItemFactory(cart__user=user, book=cart[0], quantity=1)
    third = user_client.post("/api/orders/", {"coupon_code": "TWICE"}, format="json")

    assert second.status_code == 201
    assert third.status_code == 400 and third.json()["code"] == "invalid_coupon"
    coupon.refresh_from_db()
    assert coupon.used_count == 2


def test_coupon_at_exactly_its_min_subtotal_applies(user_client, cart):
    CouponFactory(code="EXACT", min_subtotal=Decimal("25.25"))

    response = user_client.post("/api/orders/", {"coupon_code": "EXACT"}, format="json")

    assert response.status_code == 201
    assert response.json()["discount"] == "2.53"


@pytest.mark.parametrize("code", ["", "   ", None])
def test_blank_coupon_code_means_no_coupon(user_client, cart, code):
    response = user_client.post("/api/orders/", {"coupon_code": code}, format="json")

    assert response.status_code == 201, response.content
    assert (response.json()["discount"], response.json()["total"]) == ("0.00", "25.25")
    assert Order.objects.get().coupon is None


def _now():
    return timezone.now()


@pytest.mark.parametrize(
    "code, coupon",
    [
        ("NOSUCH", None),
        ("OFF", {"is_active": False}),
        ("OLD", {"valid_until": lambda: _now() - timedelta(minutes=1)}),
        ("SOON", {"valid_from": lambda: _now() + timedelta(minutes=5)}),
        ("GONE", {"max_uses": 3, "used_count": 3}),
        ("BIGSPEND", {"min_subtotal": Decimal("25.26")}),
    ],
)
def test_unusable_coupon_is_400_invalid_coupon_and_nothing_changes(
    user, user_client, cart, django_capture_on_commit_callbacks, code, coupon
):
    if coupon is not None:
        CouponFactory(
            code=code, **{key: value() if callable(value) else value for key, value in coupon.items()}
        )
    used_before = dict(Coupon.objects.values_list("code", "used_count"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = user_client.post("/api/orders/", {"coupon_code": code.lower()}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_coupon"
    assert callbacks == [] and mail.outbox == []
    assert not Order.objects.exists()
    assert not StockMovement.objects.filter(reason="order").exists()
    assert [book.stock for book in Book.objects.filter(pk__in=[b.pk for b in cart])] == [5, 5]
    assert CartItem.objects.filter(cart__user=user).count() == 2
    assert dict(Coupon.objects.values_list("code", "used_count")) == used_before


def test_cancelling_an_order_gives_the_coupon_use_back(user, user_client, cart):
    coupon = CouponFactory(code="ONCE", max_uses=1)
    order_id = user_client.post("/api/orders/", {"coupon_code": "ONCE"}, format="json").json()["id"]
    coupon.refresh_from_db()
    assert coupon.used_count == 1

    response = user_client.post(f"/api/orders/{order_id}/cancel/")

    assert response.status_code == 200
    coupon.refresh_from_db()
    assert coupon.used_count == 0
    CartItemFactory(cart__user=user, book=cart[0], quantity=1)
    assert user_client.post("/api/orders/", {"coupon_code": "ONCE"}, format="json").status_code == 201


def test_staff_cancelling_a_paid_order_gives_the_coupon_use_back(user_client, staff_client, cart):
    coupon = CouponFactory(code="PAIDUSE")
    order_id = user_client.post("/api/orders/", {"coupon_code": "PAIDUSE"}, format="json").json()["id"]
    order_transition(order_id=order_id, to_status=OrderStatus.PAID)

    response = staff_client.patch(f"/api/admin/orders/{order_id}/", {"status": "cancelled"}, format="json")

    assert response.status_code == 200
    coupon.refresh_from_db()
    assert coupon.used_count == 0


def test_hundred_percent_coupon_makes_a_free_paid_order(
    user_client, cart, django_capture_on_commit_callbacks
):
    CouponFactory(code="ALL", percent_off=Decimal("100"))

    with django_capture_on_commit_callbacks(execute=True):
        body = user_client.post("/api/orders/", {"coupon_code": "ALL"}, format="json").json()

    assert (body["discount"], body["total"], body["status"]) == ("25.25", "0.00", "paid")
    assert len(mail.outbox) == 1
    assert "Please pay by" not in mail.outbox[0].body

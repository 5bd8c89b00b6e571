"""What a coupon does (or refuses to do) at checkout, and its use coming back on cancellation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from cart.factories import CartItemFactory
from cart.models import CartItem
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import checkout_body, checkout_form
from checkout.services import order_status_set
from orders.factories import CouponFactory
from orders.models import Coupon, Order, OrderStatus

pytestmark = pytest.mark.django_db


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
        response = user_client.post("/api/orders/", checkout_body(coupon_code=" ten "), format="json")

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

    body = user_client.post("/api/orders/", checkout_body(coupon_code="five"), format="json").json()

    assert (body["subtotal"], body["discount"], body["total"]) == ("25.25", "5.00", "20.25")


def test_coupon_worth_more_than_the_cart_makes_a_free_order_paid_at_once(user, user_client, cart):
    CouponFactory(code="GIFT", percent_off=None, amount_off=Decimal("100.00"))

    response = user_client.post("/api/orders/", checkout_body(coupon_code="GIFT"), format="json")

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
    user_client.post("/api/orders/", checkout_body(coupon_code="TWICE"), format="json")
    CartItemFactory(cart__user=user, book=cart[0], quantity=1)

    second = user_client.post("/api/orders/", checkout_body(coupon_code="TWICE"), format="json")
    CartItemFactory(cart__user=user, book=cart[0], quantity=1)
    third = user_client.post("/api/orders/", checkout_body(coupon_code="TWICE"), format="json")

    assert second.status_code == 201
    assert third.status_code == 400 and third.json()["code"] == "invalid_coupon"
    coupon.refresh_from_db()
    assert coupon.used_count == 2


def test_coupon_at_exactly_its_min_subtotal_applies(user_client, cart):
    CouponFactory(code="EXACT", min_subtotal=Decimal("25.25"))

    response = user_client.post("/api/orders/", checkout_body(coupon_code="EXACT"), format="json")

    assert response.status_code == 201
    assert response.json()["discount"] == "2.53"


@pytest.mark.parametrize("code", ["", "   ", None])
def test_blank_coupon_code_means_no_coupon(user_client, cart, code):
    response = user_client.post("/api/orders/", checkout_body(coupon_code=code), format="json")

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
        response = user_client.post("/api/orders/", checkout_body(coupon_code=code.lower()), format="json")

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
    order_id = user_client.post("/api/orders/", checkout_body(coupon_code="ONCE"), format="json").json()["id"]
    coupon.refresh_from_db()
    assert coupon.used_count == 1

    response = user_client.post(f"/api/orders/{order_id}/cancel/")

    assert response.status_code == 200
    coupon.refresh_from_db()
    assert coupon.used_count == 0
    CartItemFactory(cart__user=user, book=cart[0], quantity=1)
    assert (
        user_client.post("/api/orders/", checkout_body(coupon_code="ONCE"), format="json").status_code == 201
    )


def test_staff_cancelling_a_paid_order_gives_the_coupon_use_back(user_client, staff_client, cart):
    coupon = CouponFactory(code="PAIDUSE")
    order_id = user_client.post("/api/orders/", checkout_body(coupon_code="PAIDUSE"), format="json").json()[
        "id"
    ]
    order_status_set(order_id=order_id, to_status=OrderStatus.PAID)

    response = staff_client.patch(f"/api/admin/orders/{order_id}/", {"status": "cancelled"}, format="json")

    assert response.status_code == 200
    coupon.refresh_from_db()
    assert coupon.used_count == 0


def test_hundred_percent_coupon_makes_a_free_paid_order(
    user_client, cart, django_capture_on_commit_callbacks
):
    CouponFactory(code="ALL", percent_off=Decimal("100"))

    with django_capture_on_commit_callbacks(execute=True):
        body = user_client.post("/api/orders/", checkout_body(coupon_code="ALL"), format="json").json()

    assert (body["discount"], body["total"], body["status"]) == ("25.25", "0.00", "paid")
    assert len(mail.outbox) == 1
    assert "Please pay by" not in mail.outbox[0].body


@pytest.mark.parametrize("code", ["NOPE", "EXPIRED"])
def test_the_checkout_page_and_the_api_refuse_a_coupon_in_the_same_words(
    client, user, user_client, cart, code
):
    Coupon.objects.create(code="EXPIRED", amount_off=Decimal("5"), valid_until=timezone.now())
    client.force_login(user)

    api = user_client.post("/api/orders/", checkout_body(coupon_code=code), format="json")
    page = client.post("/checkout/", checkout_form(coupon_code=code))

    assert api.status_code == page.status_code == 400
    assert page.context["form"].errors["coupon_code"] == [api.json()["detail"]]
    assert not Order.objects.exists()
    assert CartItem.objects.filter(cart__user=user).count() == 2

"""Django admin for orders and coupons: pages load, actions go through the status service."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client

from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import order_placed
from checkout.services import order_status_set
from orders.factories import CouponFactory
from orders.models import Coupon, Order, OrderStatus, OrderStatusChange

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"
COUPONS = "/admin/orders/coupon/"


@pytest.fixture
def book():
    return BookFactory(title="Middlemarch", stock=6, price=Decimal("9.00"))


@pytest.fixture
def order(user, book):
    return order_placed(user=user, lines=[(book, 2)])


def _paid(order):
    return order_status_set(order_id=order.id, to_status=OrderStatus.PAID)


def _act(client, action, *orders):
    response = client.post(
        ORDERS, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in orders]}, follow=True
    )
    assert response.status_code == 200
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _status(order) -> str:
    return Order.objects.get(pk=order.pk).status


# --- orders --------------------------------------------------------------------------------------


def test_order_changelist_loads(admin_client, order):
    response = admin_client.get(ORDERS)

    assert response.status_code == 200
    assert str(order.user) in response.content.decode()


def test_order_changelist_filters_and_search(admin_client, order, user):
    assert admin_client.get(f"{ORDERS}?status__exact=pending").status_code == 200
    assert admin_client.get(f"{ORDERS}?q={user.email}").status_code == 200
    assert admin_client.get(f"{ORDERS}?q={order.pk}").status_code == 200
    assert admin_client.get(f"{ORDERS}?created_at__year={order.created_at.year}").status_code == 200


def test_order_change_page_shows_lines_and_history(admin_client, order):
    _paid(order)

    response = admin_client.get(f"{ORDERS}{order.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Middlemarch" in page and "18.00" in page
    inline_names = [formset.opts.model.__name__ for formset in response.context["inline_admin_formsets"]]
    assert inline_names == [
        "OrderItem",
        "Payment",
        "Shipment",
        "Refund",
        "ReturnRequest",
    ]
    timeline = page[page.index('class="bo-timeline"') :]
    assert timeline.index("Pending payment") < timeline.index("Paid</strong> (from pending payment)")


def test_order_change_form_edits_nothing(admin_client, order):
    """An order is a record: its address is the checkout's snapshot, its figures the quote's."""
    address = order.shipping_address
    management = {
        f"{prefix}-{name}": "0"
        for prefix in ("items", "payments", "shipments", "refunds", "returns")
        for name in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    response = admin_client.post(
        f"{ORDERS}{order.pk}/change/",
        {**management, "shipping_address": "2 New Street", "status": "delivered", "total": "0.01"},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.shipping_address == address
    assert (order.status, order.total) == ("pending", Decimal("18.00"))


def test_orders_cannot_be_added_or_deleted_in_admin(admin_client, order):
    assert admin_client.get(f"{ORDERS}add/").status_code == 403
    assert admin_client.get(f"{ORDERS}{order.pk}/delete/").status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()


def test_mark_shipped_then_delivered(admin_client, admin_user, order):
    _paid(order)

    shipped = _act(admin_client, "mark_shipped", order)
    delivered = _act(admin_client, "mark_delivered", order)

    assert shipped == [("success", "1 order(s) now shipped.")]
    assert delivered == [("success", "1 order(s) now delivered.")]
    assert _status(order) == "delivered"
    changes = OrderStatusChange.objects.filter(order=order).order_by("id")
    assert [(c.from_status, c.to_status, c.actor) for c in changes][2:] == [
        ("paid", "shipped", admin_user),
        ("shipped", "delivered", admin_user),
    ]


def test_mark_shipped_refuses_an_unpaid_order(admin_client, order):
    messages = _act(admin_client, "mark_shipped", order)

    assert messages == [("error", f"Order {order.pk}: An order that is pending cannot become shipped.")]
    assert _status(order) == "pending"
    assert order.status_changes.count() == 1


def test_mark_delivered_refuses_an_order_not_shipped(admin_client, order):
    _paid(order)

    messages = _act(admin_client, "mark_delivered", order)

    assert [level for level, _ in messages] == ["error"]
    assert _status(order) == "paid"


def test_cancel_action_returns_stock_through_the_service(admin_client, admin_user, book, order):
    messages = _act(admin_client, "cancel_orders", order)

    assert messages == [("success", "1 order(s) now cancelled.")]
    assert _status(order) == "cancelled"
    assert Book.objects.get(pk=book.pk).stock == 6
    assert StockMovement.objects.get(order=order, reason="cancellation").actor == admin_user


def test_cancel_action_refuses_a_shipped_order(admin_client, book, order):
    _paid(order)
    order_status_set(order_id=order.id, to_status=OrderStatus.SHIPPED, by_staff=True)

    messages = _act(admin_client, "cancel_orders", order)

    assert [level for level, _ in messages] == ["error"]
    assert _status(order) == "shipped"
    assert Book.objects.get(pk=book.pk).stock == 4
    assert not StockMovement.objects.filter(reason="cancellation").exists()


def test_action_over_a_mixed_selection_moves_the_valid_ones(admin_client, user, book, order):
    _paid(order)
    unpaid = order_placed(user=user, lines=[(book, 1)])

    messages = _act(admin_client, "mark_shipped", order, unpaid)

    assert sorted(level for level, _ in messages) == ["error", "success"]
    assert (_status(order), _status(unpaid)) == ("shipped", "pending")


def test_order_admin_is_closed_to_customers(user, order):
    client = Client()
    client.force_login(user)

    response = client.post(ORDERS, {"action": "cancel_orders", ACTION_CHECKBOX_NAME: [order.pk]})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert _status(order) == "pending"


# --- coupons -------------------------------------------------------------------------------------


def _coupon_form(**fields) -> dict:
    form = {
        "code": "spring",
        "percent_off": "",
        "amount_off": "",
        "valid_from_0": "",
        "valid_from_1": "",
        "valid_until_0": "",
        "valid_until_1": "",
        "max_uses": "",
        "min_subtotal": "0.00",
        "is_active": "on",
    }
    form.update(fields)
    return form


def test_coupon_admin_add(admin_client):
    response = admin_client.post(
        f"{COUPONS}add/",
        _coupon_form(
            percent_off="15",
            valid_from_0="2030-01-01",
            valid_from_1="00:00:00",
            valid_until_0="2030-02-01",
            valid_until_1="00:00:00",
            max_uses="100",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    coupon = Coupon.objects.get()
    assert (coupon.code, coupon.percent_off, coupon.max_uses, coupon.used_count) == (
        "SPRING",
        Decimal("15.00"),
        100,
        0,
    )


def test_coupon_admin_pages_load(admin_client):
    coupon = CouponFactory()

    assert admin_client.get(COUPONS).status_code == 200
    assert admin_client.get(f"{COUPONS}add/").status_code == 200
    assert admin_client.get(f"{COUPONS}{coupon.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"percent_off": "10", "amount_off": "5"},
        {},
        {"percent_off": "101"},
        {
            "percent_off": "10",
            "valid_from_0": "2030-02-01",
            "valid_from_1": "00:00:00",
            "valid_until_0": "2030-01-01",
            "valid_until_1": "00:00:00",
        },
    ],
)
def test_coupon_admin_refuses_what_the_api_refuses(admin_client, fields):
    response = admin_client.post(f"{COUPONS}add/", _coupon_form(**fields))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Coupon.objects.exists()


def test_coupon_admin_code_is_unique_case_insensitively(admin_client):
    CouponFactory(code="SPRING")

    response = admin_client.post(f"{COUPONS}add/", _coupon_form(code="Spring", percent_off="5"))

    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert Coupon.objects.count() == 1


def test_coupon_admin_edit_keeps_its_code_and_guards_max_uses(admin_client):
    coupon = CouponFactory(code="SUMMER", max_uses=10, used_count=4)

    lowered = admin_client.post(
        f"{COUPONS}{coupon.pk}/change/", _coupon_form(code="summer", percent_off="10", max_uses="3")
    )
    renamed = admin_client.post(
        f"{COUPONS}{coupon.pk}/change/", _coupon_form(code="summer", percent_off="20", max_uses="4")
    )

    assert lowered.status_code == 200
    assert "max_uses" in lowered.context["adminform"].form.errors
    assert renamed.status_code == 302
    coupon.refresh_from_db()
    assert (coupon.code, coupon.percent_off, coupon.max_uses, coupon.used_count) == (
        "SUMMER",
        Decimal("20.00"),
        4,
        4,
    )

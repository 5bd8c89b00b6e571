"""Checkout (POST /api/orders/): the whole cart becomes one pending order, or nothing changes at all."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.factories import ADDRESS
from cart.factories import CartItemFactory
from cart.models import CartItem
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import TEST_METHOD_CODE, checkout_body
from orders.factories import CouponFactory
from orders.models import Order, OrderStatusChange

pytestmark = pytest.mark.django_db


def _stock(*books) -> list[int]:
    return [Book.objects.get(pk=book.pk).stock for book in books]


def _assert_nothing_changed(user, books, stocks, cart_lines):
    assert _stock(*books) == stocks
    assert dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity")) == cart_lines
    assert not Order.objects.exists()
    assert not StockMovement.objects.filter(reason=StockMovement.Reason.ORDER).exists()
    assert mail.outbox == []


@pytest.fixture
def two_lines(user):
    first = BookFactory(title="Dune", price=Decimal("12.50"), stock=5)
    second = BookFactory(title="Emma", price=Decimal("3.35"), stock=2)
    CartItemFactory(cart__user=user, book=first, quantity=2)
    CartItemFactory(cart__user=user, book=second, quantity=1)
    return first, second


@pytest.mark.parametrize("path", ["/api/orders/", "/api/orders"])
def test_checkout_creates_a_pending_order_from_the_cart(
    user, user_client, two_lines, settings, django_capture_on_commit_callbacks, path
):
    settings.SHOP_CURRENCY = "EUR"
    settings.PAYMENT_TIMEOUT_MINUTES = 45
    first, second = two_lines
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(path, checkout_body(note="Ring twice."), format="json")

    after = timezone.now()
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get()
    assert body["id"] == order.id
    assert body["status"] == "pending"
    untaxed = {
        "tax_class": "reduced",
        "discount": "0.00",
        "tax_rate": "0.0000",
        "tax": "0.00",
        "refunded_quantity": 0,
    }
    assert body["items"] == [
        {
            "book_id": first.id,
            "title": "Dune",
            "unit_price": "12.50",
            "quantity": 2,
            "line_total": "25.00",
            **untaxed,
        },
        {
            "book_id": second.id,
            "title": "Emma",
            "unit_price": "3.35",
            "quantity": 1,
            "line_total": "3.35",
            **untaxed,
        },
    ]
    assert (body["subtotal"], body["discount"], body["shipping"], body["tax"], body["total"]) == (
        "28.35",
        "0.00",
        "0.00",
        "0.00",
        "28.35",
    )
    assert body["currency"] == "EUR"
    assert body["shipping_address"] == ADDRESS
    assert body["shipping_method"]["code"] == TEST_METHOD_CODE
    assert body["note"] == "Ring twice."
    assert [entry["status"] for entry in body["history"]] == ["pending"]
    assert (body["shipments"], body["refunds"], body["refunded_total"]) == ([], [], "0.00")
    pay_by = parse_datetime(body["pay_by"])
    assert before + timedelta(minutes=45) <= pay_by <= after + timedelta(minutes=45)
    assert order.user == user
    assert list(order.status_changes.values_list("from_status", "to_status")) == [("", "pending")]


def test_checkout_takes_the_stock_and_writes_the_ledger(user, user_client, two_lines):
    first, second = two_lines

    order_id = user_client.post("/api/orders/", checkout_body(), format="json").json()["id"]

    assert _stock(first, second) == [3, 1]
    movements = StockMovement.objects.filter(order_id=order_id)
    assert {(m.book_id, m.delta, m.stock_after, m.reason, m.actor_id) for m in movements} == {
        (first.id, -2, 3, "order", user.id),
        (second.id, -1, 1, "order", user.id),
    }
    for book, initial in ((first, 5), (second, 2)):
        deltas = sum(
            StockMovement.objects.filter(book=book, order_id=order_id).values_list("delta", flat=True)
        )
        assert initial + deltas == Book.objects.get(pk=book.pk).stock


def test_checkout_empties_the_cart(user, user_client, two_lines):
    user_client.post("/api/orders/", checkout_body(), format="json")

    assert not CartItem.objects.filter(cart__user=user).exists()
    assert user_client.get("/api/cart/").json()["items"] == []


def test_confirmation_email_leaves_only_on_commit(
    user, user_client, two_lines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = user_client.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 201
    assert mail.outbox == []
    for callback in callbacks:  # the mail, and the shopper insights' count of the ordered books
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert f"#{response.json()['id']}" in message.subject
    assert "Dune" in message.body and "28.35" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_order_lines_keep_title_and_price_after_catalog_changes(user, user_client, staff_client, two_lines):
    first, second = two_lines
    order_id = user_client.post("/api/orders/", checkout_body(), format="json").json()["id"]

    patched = staff_client.patch(
        f"/api/books/{first.id}/", {"title": "Dune (2nd ed.)", "price": "99.00"}, format="json"
    )
    deleted = staff_client.delete(f"/api/books/{second.id}/")

    assert patched.status_code == 200 and deleted.status_code == 204
    order = user_client.get(f"/api/orders/{order_id}/").json()
    assert [(i["title"], i["unit_price"], i["line_total"]) for i in order["items"]] == [
        ("Dune", "12.50", "25.00"),
        ("Emma", "3.35", "3.35"),
    ]
    assert order["total"] == "28.35"


def test_checkout_ignores_totals_and_status_sent_by_the_client(user, user_client, two_lines):
    other = BookFactory()
    response = user_client.post(
        "/api/orders/",
        {
            **checkout_body(),
            "total": "0.01",
            "subtotal": "0.01",
            "discount": "28.00",
            "status": "paid",
            "user": other.id,
            "currency": "XXX",
            "items": [{"book_id": other.id, "quantity": 1, "unit_price": "0.01"}],
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["total"], body["discount"], body["currency"]) == (
        "pending",
        "28.35",
        "0.00",
        "USD",
    )
    assert [item["book_id"] for item in body["items"]] == [book.id for book in two_lines]
    assert Order.objects.get().user == user


@pytest.mark.parametrize("path", ["/api/orders/", "/api/orders"])
def test_empty_cart_is_400_cart_empty(user, user_client, django_capture_on_commit_callbacks, path):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = user_client.post(path, checkout_body(), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "cart_empty"
    assert callbacks == []
    _assert_nothing_changed(user, [], [], {})


def test_second_checkout_finds_the_cart_empty(user, user_client, two_lines):
    assert user_client.post("/api/orders/", checkout_body(), format="json").status_code == 201

    response = user_client.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "cart_empty"
    assert Order.objects.count() == 1


def test_short_stock_is_409_naming_the_books_and_nothing_changes(
    user, user_client, two_lines, django_capture_on_commit_callbacks
):
    first, second = two_lines
    coupon = CouponFactory(code="TEN")
    Book.objects.filter(pk=second.pk).update(stock=0)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = user_client.post("/api/orders/", checkout_body(coupon_code="ten"), format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert "Emma" in body["detail"]
    assert body["books"] == [{"id": second.id, "title": "Emma", "requested": 1, "available": 0}]
    assert callbacks == []
    _assert_nothing_changed(user, [first, second], [5, 0], {first.id: 2, second.id: 1})
    coupon.refresh_from_db()
    assert coupon.used_count == 0


def test_short_stock_names_every_short_book(user, user_client, two_lines):
    first, second = two_lines
    Book.objects.filter(pk=first.pk).update(stock=1)
    Book.objects.filter(pk=second.pk).update(stock=0)

    response = user_client.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 409
    assert [line["id"] for line in response.json()["books"]] == [first.id, second.id]
    _assert_nothing_changed(user, [first, second], [1, 0], {first.id: 2, second.id: 1})


def test_removed_book_in_the_cart_is_409_and_nothing_changes(user, user_client, staff_client, two_lines):
    first, second = two_lines
    assert staff_client.delete(f"/api/books/{first.id}/").status_code == 204

    response = user_client.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert body["books"] == [{"id": first.id, "title": "Dune", "requested": 2, "available": 0}]
    _assert_nothing_changed(user, [first, second], [5, 2], {first.id: 2, second.id: 1})


@pytest.mark.parametrize(
    "payload",
    [
        {"shipping_address": "x" * 1001},
        {"shipping_address": ["a"]},
        {"shipping_address": {**ADDRESS, "country": "XX"}},
        {"shipping_address": {**ADDRESS, "postal_code": "1234"}},
        {"coupon_code": "C" * 41},
        {"coupon_code": {"code": "TEN"}},
        {"note": "n" * 501},
        {"shipping_method": ["standard"]},
    ],
)
def test_malformed_checkout_is_400_and_nothing_changes(user, user_client, two_lines, payload):
    first, second = two_lines

    response = user_client.post("/api/orders/", checkout_body(**payload), format="json")

    assert response.status_code == 400
    assert set(response.json()) == set(payload)
    _assert_nothing_changed(user, [first, second], [5, 2], {first.id: 2, second.id: 1})


def test_anonymous_checkout_is_401(api_client):
    response = api_client.post("/api/orders/", {}, format="json")

    assert response.status_code == 401
    assert not Order.objects.exists()


def test_checkout_records_the_pending_status_by_the_customer(user, user_client, two_lines):
    order_id = user_client.post("/api/orders/", checkout_body(), format="json").json()["id"]

    change = OrderStatusChange.objects.get(order_id=order_id)
    assert (change.from_status, change.to_status, change.actor) == ("", "pending", user)


def test_cart_worth_more_than_an_order_can_hold_is_400_and_nothing_changes(user, user_client):
    book = BookFactory(price=Decimal("99999999.99"), stock=5000)
    CartItemFactory(cart__user=user, book=book, quantity=101)

    response = user_client.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "order_too_large"
    _assert_nothing_changed(user, [book], [5000], {book.id: 101})


def test_cart_that_fits_the_largest_order_is_accepted(user, user_client):
    book = BookFactory(price=Decimal("99999999.99"), stock=5000)
    CartItemFactory(cart__user=user, book=book, quantity=100)

    response = user_client.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["total"] == "9999999999.00"

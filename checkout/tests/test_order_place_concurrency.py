"""Checkouts racing each other on a real MariaDB with real threads: no oversell, no deadlock."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from accounts.factories import ADDRESS, UserFactory
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book, StockMovement
from checkout.factories import TEST_METHOD_CODE, order_checkout
from checkout.services import orders_expire_unpaid
from conftest import client_for, run_in_threads
from orders.factories import ShippingMethodFactory
from orders.models import Coupon, Order, OrderStatus

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

BODY = {"shipping_address": ADDRESS, "shipping_method": TEST_METHOD_CODE}


@pytest.fixture(autouse=True)
def _shipping_method():
    """Made once before the threads start (they only read it)."""
    ShippingMethodFactory(code=TEST_METHOD_CODE)


def _checkout(client, body=None):
    response = client.post("/api/orders/", {**BODY, **(body or {})}, format="json")
    return response.status_code, response.json()


def _ledger_sum(book) -> int:
    return StockMovement.objects.filter(book=book).aggregate(total=Sum("delta"))["total"] or 0


def test_buyers_racing_for_the_last_copies_get_exactly_the_stock():
    book = BookFactory(stock=0)
    StockMovement.objects.create(book=book, delta=5, stock_after=5, reason="initial")
    Book.objects.filter(pk=book.pk).update(stock=5)
    buyers = UserFactory.create_batch(12)
    for buyer in buyers:
        cart_add_book(user=buyer, book_id=book.pk, quantity=1)

    results = run_in_threads(_checkout, [(client_for(buyer),) for buyer in buyers])

    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 5
    assert statuses.count(409) == 7
    assert all(body["code"] == "insufficient_stock" for status, body in results if status == 409)
    book.refresh_from_db()
    assert book.stock == 0
    assert Order.objects.count() == 5
    assert _ledger_sum(book) == book.stock
    # the losers keep their carts: nothing changed for them
    losers = [buyer for buyer, (status, _) in zip(buyers, results, strict=True) if status == 409]
    assert all(buyer.cart.items.count() == 1 for buyer in losers)


def test_two_carts_holding_the_same_books_in_opposite_order_both_complete():
    first, second = BookFactory(stock=100), BookFactory(stock=100)
    for _round in range(5):
        alice, bob = UserFactory(), UserFactory()
        cart_add_book(user=alice, book_id=first.pk, quantity=2)
        cart_add_book(user=alice, book_id=second.pk, quantity=3)
        cart_add_book(user=bob, book_id=second.pk, quantity=1)
        cart_add_book(user=bob, book_id=first.pk, quantity=4)

        results = run_in_threads(_checkout, [(client_for(alice),), (client_for(bob),)])

        assert [status for status, _ in results] == [201, 201], results
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stock, second.stock) == (100 - 5 * 6, 100 - 5 * 4)
    assert StockMovement.objects.filter(book=first, reason="order").aggregate(t=Sum("delta"))["t"] == -30


def test_a_limited_coupon_raced_by_two_checkouts_is_used_once():
    Coupon.objects.create(code="ONCE", amount_off=Decimal("5.00"), max_uses=1)
    book = BookFactory(stock=10)
    buyers = UserFactory.create_batch(4)
    for buyer in buyers:
        cart_add_book(user=buyer, book_id=book.pk, quantity=1)

    results = run_in_threads(_checkout, [(client_for(buyer), {"coupon_code": "once"}) for buyer in buyers])

    assert sorted(status for status, _ in results) == [201, 400, 400, 400]
    assert {body["code"] for status, body in results if status == 400} == {"invalid_coupon"}
    assert Coupon.objects.get(code="ONCE").used_count == 1
    assert Order.objects.filter(coupon__code="ONCE").count() == 1
    book.refresh_from_db()
    assert book.stock == 9  # the refused checkouts took nothing


def test_expiry_running_twice_alongside_checkouts_keeps_stock_exact():
    book = BookFactory(stock=50)
    stale_buyers = UserFactory.create_batch(6)
    for buyer in stale_buyers:
        cart_add_book(user=buyer, book_id=book.pk, quantity=2)
        order_checkout(user=buyer)
    Order.objects.update(pay_by="2000-01-01T00:00:00Z")
    fresh_buyers = UserFactory.create_batch(6)
    for buyer in fresh_buyers:
        cart_add_book(user=buyer, book_id=book.pk, quantity=3)

    def expire():
        return orders_expire_unpaid()

    def checkout(buyer):
        return order_checkout(user=buyer).pk

    results = run_in_threads(
        lambda kind, arg: expire() if kind == "expire" else checkout(arg),
        [("expire", None), ("expire", None)] + [("checkout", buyer) for buyer in fresh_buyers],
    )

    assert not any(isinstance(result, Exception) for result in results), results
    assert results[0] + results[1] == 6  # each stale order cancelled exactly once
    book.refresh_from_db()
    assert book.stock == 50 - 6 * 3
    assert Order.objects.filter(status=OrderStatus.CANCELLED).count() == 6
    assert StockMovement.objects.filter(book=book, reason="cancellation").count() == 6
    movements = StockMovement.objects.filter(book=book).aggregate(t=Sum("delta"))["t"]
    assert movements == book.stock - 50


def test_stock_never_goes_negative_under_mixed_quantities():
    book = BookFactory(stock=7)
    buyers = UserFactory.create_batch(8)
    for index, buyer in enumerate(buyers):
        cart_add_book(user=buyer, book_id=book.pk, quantity=1 + index % 3)

    results = run_in_threads(_checkout, [(client_for(buyer),) for buyer in buyers])

    book.refresh_from_db()
    sold = sum(line["quantity"] for status, body in results if status == 201 for line in body["items"])
    assert book.stock == 7 - sold >= 0
    assert {status for status, _ in results} <= {201, 409}
    assert StockMovement.objects.filter(book=book, reason="order").aggregate(t=Sum("delta"))["t"] == -sold


def test_a_lock_held_too_long_is_retried_then_answered_503_and_nothing_changes():
    import threading

    from django.db import connection, transaction

    book = BookFactory(stock=3)
    buyer = UserFactory()
    cart_add_book(user=buyer, book_id=book.pk, quantity=1)
    locked, release = threading.Event(), threading.Event()

    def hold_the_book():
        try:
            with transaction.atomic():
                Book.objects.select_for_update().get(pk=book.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_book)
    holder.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SELECT @@SESSION.innodb_lock_wait_timeout")
            (usual_timeout,) = cursor.fetchone()
            cursor.execute("SET SESSION innodb_lock_wait_timeout = 1")
        status, body = _checkout(client_for(buyer))
    finally:
        release.set()
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION innodb_lock_wait_timeout = %s", [usual_timeout])

    assert (status, body["code"]) == (503, "busy")
    book.refresh_from_db()
    assert book.stock == 3
    assert Order.objects.count() == 0
    assert buyer.cart.items.count() == 1
    assert not StockMovement.objects.filter(book=book, reason="order").exists()


def test_an_add_to_cart_that_waits_too_long_for_a_lock_is_retried_not_a_500():
    """bench/load.py once met an InnoDB deadlock on the cart line insert (a 500): every write service
    now retries its whole transaction on a deadlock or lock wait timeout (core.db.lock_retrying)."""
    import threading

    from django.db import connection, transaction

    from cart.models import Cart

    book = BookFactory(stock=3)
    buyer = UserFactory()
    cart = Cart.objects.create(user=buyer)
    locked = threading.Event()

    def hold_the_cart_a_moment():
        try:
            with transaction.atomic():
                Cart.objects.select_for_update().get(pk=cart.pk)
                locked.set()
                threading.Event().wait(1.5)  # longer than the 1 s lock wait below: the first try times out
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_cart_a_moment)
    holder.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SELECT @@SESSION.innodb_lock_wait_timeout")
            (usual_timeout,) = cursor.fetchone()
            cursor.execute("SET SESSION innodb_lock_wait_timeout = 1")
        response = client_for(buyer).post(
            "/api/cart/items/", {"book_id": book.pk, "quantity": 1}, format="json"
        )
    finally:
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION innodb_lock_wait_timeout = %s", [usual_timeout])

    assert response.status_code == 201, response.content
    assert buyer.cart.items.get().quantity == 1


def test_refunds_racing_for_the_last_copy_refund_it_once(stripe_down):
    from checkout.services import order_refund, order_status_set
    from payments.factories import PaymentFactory
    from payments.models import PaymentStatus, Refund

    book = BookFactory(stock=3, price=Decimal("10.00"))
    buyer = UserFactory()
    cart_add_book(user=buyer, book_id=book.pk, quantity=1)
    order = order_checkout(user=buyer)
    PaymentFactory(order=order, status=PaymentStatus.SUCCEEDED)
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)

    def refund():
        return order_refund(
            order_id=order.pk, lines=[{"book_id": book.pk, "quantity": 1}], restock=True, reason="Race."
        )

    outcomes = run_in_threads(refund, [(), (), ()])

    refunds = [outcome for outcome in outcomes if isinstance(outcome, Refund)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Refund)]
    assert len(refunds) == 1 and refunds[0].amount == Decimal("10.00")
    assert {getattr(error, "code", repr(error)) for error in refused} == {"order_not_refundable"}
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == (OrderStatus.REFUNDED, Decimal("10.00"))
    book.refresh_from_db()
    assert book.stock == 3
    assert StockMovement.objects.filter(book=book, reason="return").count() == 1

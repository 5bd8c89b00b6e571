"""Test helpers: orders placed through the real checkout, webhook calls, bounded waits. Stripe-style
events and signatures are payments.tests.helpers'; the localstripe fixtures and client live in
`tests_support.localstripe` (shared with browser tests)."""

import time
from decimal import Decimal

from cart.services import cart_add_book
from catalog.factories import BookFactory
from checkout.factories import order_checkout
from payments.tests.helpers import sign
from tests_support.localstripe import WEBHOOK_PATH


def place_order(user, *, price: str = "12.50", quantity: int = 1, stock: int = 5):
    """A pending order for `quantity` copies of a new book, placed through checkout."""
    book = BookFactory(price=Decimal(price), stock=stock)
    cart_add_book(user=user, book_id=book.pk, quantity=quantity)
    return order_checkout(user=user)


def post_event(client, body: bytes, signature: str | None = "sign", path: str = WEBHOOK_PATH):
    """POST a raw webhook body; signature "sign" means: correctly signed now with the shop's secret."""
    headers = {}
    if signature == "sign":
        signature = sign(body)
    if signature is not None:
        headers["HTTP_STRIPE_SIGNATURE"] = signature
    return client.generic("POST", path, body, content_type="application/json", **headers)


def wait_until(predicate, *, timeout: float = 20, what: str = "condition"):
    """Poll (bounded) for something another process does, such as localstripe delivering a webhook."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout} s")
        time.sleep(0.1)

"""Test helpers: orders placed through the real services, Stripe-style signed events, bounded waits.

The localstripe fixtures and client live in `tests_support.localstripe` (shared with browser tests)."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

from django.conf import settings

from cart.services import cart_add_book
from catalog.factories import BookFactory
from orders.services import order_place
from payments.stripe_client import to_minor_units
from tests_support.localstripe import WEBHOOK_PATH


def place_order(user, *, price: str = "12.50", quantity: int = 1, stock: int = 5):
    """A pending order for `quantity` copies of a new book, placed through checkout."""
    book = BookFactory(price=Decimal(price), stock=stock)
    cart_add_book(user=user, book_id=book.pk, quantity=quantity)
    return order_place(user=user)


def sign(body: bytes, *, secret: str | None = None, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe sends: `t=<unix time>,v1=HMAC-SHA256(secret, "t.body")`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    secret = settings.STRIPE_WEBHOOK_SECRET if secret is None else secret
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def intent_object(payment, **changes) -> dict:
    """A PaymentIntent as Stripe shows it in an event, for one of our payments (amount in cents)."""
    intent = {
        "id": payment.payment_intent_id,
        "object": "payment_intent",
        "amount": to_minor_units(payment.amount, payment.currency),
        "currency": payment.currency.lower(),
        "metadata": {"order_id": str(payment.order_id)},
        "status": "succeeded",
        "last_payment_error": None,
    }
    intent.update(changes)
    return intent


_event_counter = iter(range(1, 10**9))


def event_body(event_type: str, intent: dict, *, event_id: str | None = None) -> bytes:
    event = {
        "id": event_id or f"evt_test{next(_event_counter):08d}_{time.monotonic_ns()}",
        "object": "event",
        "api_version": "2017-08-15",
        "created": int(time.time()),
        "type": event_type,
        "data": {"object": intent},
    }
    return json.dumps(event, indent=2).encode()


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

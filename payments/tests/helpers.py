"""Test helpers: orders placed through the real services, Stripe-style signed events, a localstripe client."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

from django.conf import settings

from cart.services import cart_add_book
from catalog.factories import BookFactory
from orders.services import order_place
from payments.stripe_client import to_minor_units

WEBHOOK_URL = "/api/payments/webhook/"
INTENT_EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"]


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


def post_event(client, body: bytes, signature: str | None = "sign", path: str = WEBHOOK_URL):
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


class LocalStripe:
    """Plain HTTP to a running localstripe: what Stripe.js and the Stripe dashboard would do."""

    WEBHOOK_ID = "tests"

    def __init__(self, url: str):
        self.url = url

    def call(self, method: str, path: str, data: dict | None = None, *, auth: bool = True) -> dict:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method != "GET" else None
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if auth:
            request.add_header("Authorization", "Bearer sk_test_localstripe")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
        return json.loads(raw) if raw.strip() else {}

    def reset(self) -> None:
        self.call("DELETE", "/_config/data", auth=False)

    def send_webhooks_to(self, url: str) -> None:
        self.call(
            "POST",
            f"/_config/webhooks/{self.WEBHOOK_ID}",
            {"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET, "events[]": INTENT_EVENTS},
            auth=False,
        )

    def stop_webhooks(self) -> None:
        # localstripe cannot forget a webhook: point it at an event type that never happens instead.
        self.call(
            "POST",
            f"/_config/webhooks/{self.WEBHOOK_ID}",
            {"url": "http://127.0.0.1:9/", "secret": "off", "events[]": ["test.disabled"]},
            auth=False,
        )

    def pay(self, intent_id: str, payment_method: str = "pm_card_visa") -> dict:
        """Attach a card and confirm, as Stripe.js does (pm_card_chargeCustomerFail is declined)."""
        self.call("POST", f"/v1/payment_intents/{intent_id}", {"payment_method": payment_method})
        return self.call("POST", f"/v1/payment_intents/{intent_id}/confirm")

    def intent(self, intent_id: str) -> dict:
        return self.call("GET", f"/v1/payment_intents/{intent_id}")

    def intents_for_order(self, order_id: int) -> list[dict]:
        listed = self.call("GET", "/v1/payment_intents?limit=100")["data"]
        return [intent for intent in listed if intent["metadata"].get("order_id") == str(order_id)]

    def refunds(self, intent_id: str) -> list[dict]:
        # Listing all: localstripe fails (500) on `?payment_intent=` for an intent never charged.
        listed = self.call("GET", "/v1/refunds?limit=100")["data"]
        return [refund for refund in listed if refund["payment_intent"] == intent_id]

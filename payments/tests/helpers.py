"""Stripe-style webhook events for tests: intents as Stripe shows them, event bodies, signatures."""

import hashlib
import hmac
import json
import time

from django.conf import settings

from payments.stripe_client import to_minor_units


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

"""The only module that talks to Stripe, and the only place money becomes minor units (cents).

Everything else in the project sees `Decimal` amounts, plain dataclasses and our own errors: a Stripe
failure of any kind becomes `PaymentProviderError` (502), never a 500. `settings.STRIPE_API_BASE`
points the client, and the browser's Stripe.js (`js_url`), at a Stripe emulator such as localstripe;
empty means the real Stripe.
"""

import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import stripe
from django.conf import settings

from .exceptions import InvalidWebhook, PaymentProviderError

logger = logging.getLogger(__name__)

# Stripe's lists: amounts in these currencies have no minor unit, or three decimals.
ZERO_DECIMAL_CURRENCIES = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
THREE_DECIMAL_CURRENCIES = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])

STRIPE_JS_URL = "https://js.stripe.com/v3/"

# Stripe's own default: a signed event older than this is refused (replay protection).
WEBHOOK_TOLERANCE_SECONDS = 300
# Connect, read: a hanging provider must not hold a web worker for Stripe's default 80 seconds.
HTTP_TIMEOUT_SECONDS = (5, 20)


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str
    status: str


@dataclass(frozen=True)
class Refund:
    id: str
    status: str


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    object: dict


@dataclass(frozen=True)
class IntentSnapshot:
    """What a `payment_intent.*` event says about the intent, amounts back in `Decimal`."""

    id: str
    amount: Decimal | None
    currency: str
    order_id: str
    failure_reason: str


def _exponent(currency: str) -> int:
    code = currency.lower()
    if code in ZERO_DECIMAL_CURRENCIES:
        return 0
    if code in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """12.50 USD → 1250; 1200 JPY → 1200. An amount finer than the currency allows is a bug: refuse it."""
    minor = amount.scaleb(_exponent(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} {currency} cannot be expressed in the currency's minor unit")
    return int(minor)


def from_minor_units(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-_exponent(currency))


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=1,
        http_client=stripe.RequestsClient(timeout=HTTP_TIMEOUT_SECONDS),
    )


def _current_client() -> stripe.StripeClient:
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE.rstrip("/"))


def js_url() -> str:
    """Where the browser loads Stripe.js from: Stripe's own, or the emulation an emulator serves at
    `<STRIPE_API_BASE>/js.stripe.com/v3/` (as localstripe does), talking to that emulator."""
    api_base = settings.STRIPE_API_BASE.rstrip("/")
    return f"{api_base}/js.stripe.com/v3/" if api_base else STRIPE_JS_URL


def intent_create(*, amount: Decimal, currency: str, order_id: int, idempotency_key: str) -> Intent:
    """Create a card PaymentIntent; the same idempotency key always yields the same intent at Stripe."""
    params = {
        "amount": to_minor_units(amount, currency),
        "currency": currency.lower(),
        "metadata": {"order_id": str(order_id)},
        "payment_method_types": ["card"],
    }
    try:
        intent = _current_client().v1.payment_intents.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        logger.error("order %s: creating a payment intent failed: %r", order_id, exc)
        raise PaymentProviderError() from exc
    return Intent(id=intent.id, client_secret=intent.client_secret, status=intent.status)


def refund_create(
    *, payment_intent_id: str, amount: Decimal, currency: str, idempotency_key: str, metadata: dict
) -> Refund:
    """Refund `amount` of the payment (all of it or a part). Stripe answers the same key with the same
    refund; the caller also claims each refund row once, since an emulator may ignore the key."""
    params = {
        "payment_intent": payment_intent_id,
        "amount": to_minor_units(amount, currency),
        "metadata": {name: str(value) for name, value in metadata.items()},
    }
    try:
        refund = _current_client().v1.refunds.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        logger.error("payment intent %s: refund request failed: %r", payment_intent_id, exc)
        raise PaymentProviderError() from exc
    return Refund(id=refund.id, status=refund.status or "")


def webhook_event_parse(*, payload: bytes, signature: str | None) -> WebhookEvent:
    """Check the `Stripe-Signature` header (HMAC and timestamp) against the raw body, then parse it."""
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, WEBHOOK_TOLERANCE_SECONDS
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, TypeError) as exc:
        # ValueError: the body is not UTF-8 or not JSON; TypeError: a non-ASCII signature to compare.
        raise InvalidWebhook() from exc
    data = event.get("data") if isinstance(event, dict) else None
    obj = data.get("object") if isinstance(data, dict) else None
    if not (
        isinstance(obj, dict) and isinstance(event.get("id"), str) and isinstance(event.get("type"), str)
    ):
        raise InvalidWebhook("The event has no id, type or data object.")
    return WebhookEvent(id=event["id"], type=event["type"], object=obj)


def intent_snapshot(event: WebhookEvent) -> IntentSnapshot:
    obj = event.object
    currency = obj.get("currency") if isinstance(obj.get("currency"), str) else ""
    minor = obj.get("amount")
    amount = (
        from_minor_units(minor, currency) if isinstance(minor, int) and not isinstance(minor, bool) else None
    )
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    error = obj.get("last_payment_error") if isinstance(obj.get("last_payment_error"), dict) else {}
    reason = error.get("message") or error.get("code") or ""
    return IntentSnapshot(
        id=str(obj.get("id") or ""),
        amount=amount,
        currency=currency.upper(),
        order_id=str(metadata.get("order_id", "")),
        failure_reason=str(reason)[:255],
    )

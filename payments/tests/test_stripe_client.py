from decimal import Decimal

import pytest

from payments import stripe_client
from payments.exceptions import InvalidWebhook, PaymentProviderError

from .helpers import event_body, sign


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("12.50", "USD", 1250),
        ("0.01", "eur", 1),
        ("1200", "JPY", 1200),
        ("1200.00", "jpy", 1200),
        ("5.25", "KWD", 5250),
    ],
)
def test_to_minor_units(amount, currency, minor):
    assert stripe_client.to_minor_units(Decimal(amount), currency) == minor
    assert stripe_client.from_minor_units(minor, currency) == Decimal(amount)


def test_to_minor_units_refuses_fractions_the_currency_does_not_have():
    with pytest.raises(ValueError):
        stripe_client.to_minor_units(Decimal("12.50"), "JPY")


@pytest.mark.django_db
def test_intent_create_against_unreachable_stripe_is_a_provider_error(stripe_down):
    with pytest.raises(PaymentProviderError) as caught:
        stripe_client.intent_create(
            amount=Decimal("12.50"), currency="USD", order_id=1, idempotency_key="test-unreachable"
        )
    assert caught.value.status_code == 502 and caught.value.code == "payment_provider_error"


def test_webhook_event_parse_reads_a_signed_event():
    body = event_body("payment_intent.succeeded", {"id": "pi_1", "amount": 1250, "currency": "usd"})
    event = stripe_client.webhook_event_parse(payload=body, signature=sign(body))
    assert event.type == "payment_intent.succeeded" and event.object["id"] == "pi_1"
    snapshot = stripe_client.intent_snapshot(event)
    assert snapshot.amount == Decimal("12.50") and snapshot.currency == "USD" and snapshot.order_id == ""


@pytest.mark.parametrize(
    "body",
    [b"[1, 2]", b'{"id": "evt_1", "type": "x"}', b'{"id": 5, "type": "x", "data": {"object": {}}}'],
)
def test_webhook_event_parse_refuses_signed_bodies_without_an_event(body):
    with pytest.raises(InvalidWebhook):
        stripe_client.webhook_event_parse(payload=body, signature=sign(body))

"""stripe_client.js_url: the one place that says where the browser loads Stripe.js from."""

import pytest

from payments import stripe_client


@pytest.mark.parametrize(
    ("api_base", "expected"),
    [
        ("", "https://js.stripe.com/v3/"),
        ("http://localhost:8420", "http://localhost:8420/js.stripe.com/v3/"),
        ("http://localhost:8420/", "http://localhost:8420/js.stripe.com/v3/"),
    ],
)
def test_real_stripe_js_or_the_emulators(settings, api_base, expected):
    settings.STRIPE_API_BASE = api_base

    assert stripe_client.js_url() == expected

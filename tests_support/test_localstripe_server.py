"""scripts/localstripe_server.py: localstripe confirms a PaymentIntent from the browser, as Stripe does,
with the publishable key, the client secret and the card (what Stripe.js's confirmCardPayment sends)."""

import pytest

pytestmark = pytest.mark.stripe

VISA = "4242424242424242"
DECLINED_AT_CHARGE = "4000000000000341"
NEEDS_3D_SECURE = "4000002500003155"


def new_intent(stripe_api) -> dict:
    return stripe_api.call(
        "POST", "/v1/payment_intents", {"amount": 1250, "currency": "usd", "payment_method_types[]": "card"}
    )


def browser_confirm(stripe_api, intent: dict, number: str, *, key="pk_test_localstripe", secret=None) -> dict:
    card = {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}
    data = {
        "key": key,
        "client_secret": secret or intent["client_secret"],
        "payment_method_data[type]": "card",
    }
    data |= {f"payment_method_data[card][{field}]": value for field, value in card.items()}
    return stripe_api.call("POST", f"/v1/payment_intents/{intent['id']}/confirm", data, auth=False)


def test_a_good_card_pays(stripe_api):
    intent = new_intent(stripe_api)

    confirmed = browser_confirm(stripe_api, intent, VISA)

    assert confirmed["status"] == "succeeded"
    assert stripe_api.intent(intent["id"])["status"] == "succeeded"


def test_a_declined_card_is_refused_and_another_card_may_follow(stripe_api):
    intent = new_intent(stripe_api)

    declined = browser_confirm(stripe_api, intent, DECLINED_AT_CHARGE)

    assert declined["error"]["code"] == "card_declined"
    assert stripe_api.intent(intent["id"])["status"] == "requires_payment_method"
    assert browser_confirm(stripe_api, intent, VISA)["status"] == "succeeded"


def test_a_card_that_needs_3d_secure_waits_for_it(stripe_api):
    intent = new_intent(stripe_api)

    assert browser_confirm(stripe_api, intent, NEEDS_3D_SECURE)["status"] == "requires_action"


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("pk_test_localstripe", "pi_wrong_secret_0000"),  # another intent's secret
        ("sk_test_localstripe", None),  # a secret key in the body is no credential
        ("", None),
    ],
)
def test_without_the_right_key_and_client_secret_nothing_is_charged(stripe_api, key, secret):
    intent = new_intent(stripe_api)

    refused = browser_confirm(stripe_api, intent, VISA, key=key, secret=secret)

    assert refused["error"]["message"] == "Unauthorized"
    after = stripe_api.intent(intent["id"])
    assert after["status"] == "requires_payment_method"
    assert after["payment_method"] is None


def test_a_server_side_confirmation_still_works(stripe_api):
    intent = new_intent(stripe_api)

    assert stripe_api.pay(intent["id"], "pm_card_visa")["status"] == "succeeded"

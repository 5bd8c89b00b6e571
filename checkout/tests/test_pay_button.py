"""The Pay button of the order page (orders/_pay.html) and the call its script makes: the order's
PaymentIntent from POST /api/orders/{id}/payment/ with the shopper's session cookie and CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from checkout.services import order_status_set
from orders.models import OrderStatus
from payments.models import Payment

from .helpers import place_order

pytestmark = pytest.mark.django_db


def order_html(client, order) -> str:
    response = client.get(reverse("checkout:detail", args=[order.pk]))
    assert response.status_code == 200
    return response.content.decode()


def browser_session(user) -> tuple[Client, str]:
    """A logged-in browser that enforces CSRF, and the CSRF token its pages carry."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    html = client.get(reverse("catalog:home")).content.decode()
    return client, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def click_pay(client, order, token: str | None):
    """What static/js/pay.js sends."""
    headers = {"Accept": "application/json"} | ({"X-CSRFToken": token} if token else {})
    return client.post(reverse("api:order-payment", args=[order.pk]), headers=headers)


# ---- the page -------------------------------------------------------------------------------------


def test_a_pending_order_page_has_the_pay_form_and_real_stripe_js(client, user, settings):
    settings.STRIPE_API_BASE = ""
    order = place_order(user, price="12.50", quantity=2)
    client.force_login(user)

    html = order_html(client, order)

    assert f'data-payment-url="{reverse("api:order-payment", args=[order.pk])}"' in html
    assert f'data-publishable-key="{settings.STRIPE_PUBLISHABLE_KEY}"' in html
    assert '<div id="card-element" class="card-element"></div>' in html
    assert re.search(r'<button type="submit" id="pay-button"[^>]* disabled>Pay \$25\.00</button>', html)
    assert re.search(r'<script src="https://js\.stripe\.com/v3/" nonce="[^"]+" defer></script>', html)
    assert "js/pay.js" in html
    assert 'role="alert"' in html


def test_with_localstripe_the_page_loads_its_stripe_js_emulation(client, user, settings):
    settings.STRIPE_API_BASE = "http://localhost:8420/"
    order = place_order(user)
    client.force_login(user)

    html = order_html(client, order)

    assert re.search(r'<script src="http://localhost:8420/js\.stripe\.com/v3/" nonce="[^"]+" defer>', html)
    assert "https://js.stripe.com" not in html


@pytest.mark.parametrize("status", [OrderStatus.PAID, OrderStatus.CANCELLED])
def test_an_order_that_is_not_pending_has_no_pay_button(client, user, status):
    order = place_order(user)
    order_status_set(order_id=order.pk, to_status=status)
    client.force_login(user)

    html = order_html(client, order)

    assert 'id="pay-form"' not in html
    assert "js.stripe.com" not in html
    assert "js/pay.js" not in html


# ---- the click ------------------------------------------------------------------------------------


@pytest.mark.stripe
def test_the_click_with_session_and_csrf_token_gets_the_intent(user, stripe_api, settings):
    order = place_order(user, price="12.50", quantity=2)
    client, token = browser_session(user)

    first = click_pay(client, order, token)
    again = click_pay(client, order, token)

    assert first.status_code == 201, first.content
    body = first.json()
    assert body["amount"] == "25.00" and body["publishable_key"] == settings.STRIPE_PUBLISHABLE_KEY
    assert stripe_api.intent(body["payment_intent_id"])["client_secret"] == body["client_secret"]
    assert again.status_code == 200 and again.json() == body
    assert Payment.objects.filter(order=order).count() == 1


@pytest.mark.stripe
def test_without_the_csrf_token_the_click_is_refused_and_creates_nothing(user, stripe_api):
    order = place_order(user)
    client, _token = browser_session(user)

    response = click_pay(client, order, None)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Payment.objects.filter(order=order).exists()
    assert stripe_api.intents_for_order(order.pk) == []


@pytest.mark.stripe
def test_a_forged_csrf_token_is_refused(user, stripe_api):
    order = place_order(user)
    client, _token = browser_session(user)

    response = click_pay(client, order, "x" * 64)

    assert response.status_code == 403
    assert not Payment.objects.filter(order=order).exists()
    assert stripe_api.intents_for_order(order.pk) == []


@pytest.mark.stripe
def test_someone_elses_order_is_not_found(user, stripe_api):
    order = place_order(user)
    client, token = browser_session(UserFactory())

    response = click_pay(client, order, token)

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}
    assert not Payment.objects.filter(order=order).exists()
    assert stripe_api.intents_for_order(order.pk) == []


@pytest.mark.stripe
@pytest.mark.parametrize("status", [OrderStatus.PAID, OrderStatus.CANCELLED])
def test_an_order_that_is_not_pending_is_refused_with_a_sentence(user, stripe_api, status):
    order = place_order(user)
    order_status_set(order_id=order.pk, to_status=status)
    client, token = browser_session(user)

    response = click_pay(client, order, token)

    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Order {order.pk} is {status}; only a pending order can be paid.",
        "code": "order_not_payable",
    }
    assert not Payment.objects.filter(order=order).exists()
    assert stripe_api.intents_for_order(order.pk) == []


def test_a_logged_out_click_is_refused(user):
    order = place_order(user)
    client = Client(enforce_csrf_checks=True)

    response = click_pay(client, order, None)

    assert response.status_code == 401
    assert not Payment.objects.filter(order=order).exists()

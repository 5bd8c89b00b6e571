"""Security checks organised by the OWASP API Security Top 10 (2023).

Each section names the risk and proves the shop's answer with two real users (and staff), through the
same front doors an attacker would use. Other test modules go deeper; this one is the map.
"""

import importlib
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import checkout_body, order_checkout
from checkout.tests.helpers import post_event
from conftest import client_for
from orders.models import Order
from payments.factories import PaymentFactory
from payments.tests.helpers import event_body, intent_object, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return UserFactory()


@pytest.fixture
def mallory():
    return UserFactory()


def _order_of(user, *, stock=5):
    book = BookFactory(stock=stock, price=Decimal("12.50"))
    cart_add_book(user=user, book_id=book.pk, quantity=1)
    return order_checkout(user=user)


# --- API1:2023 Broken Object Level Authorization ------------------------------------------------


def test_api1_another_users_order_is_not_found_for_every_action(alice, mallory):
    order = _order_of(alice)
    PaymentFactory(order=order, client_secret="pi_secret_of_alice")
    intruder = client_for(mallory)

    answers = [
        intruder.get(f"/api/orders/{order.pk}/"),
        intruder.post(f"/api/orders/{order.pk}/cancel/"),
        intruder.post(f"/api/orders/{order.pk}/payment/"),
    ]

    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert all(b"pi_secret_of_alice" not in answer.content for answer in answers)
    assert all(b"Private Road" not in answer.content for answer in answers)
    order.refresh_from_db()
    assert order.status == "pending"
    assert intruder.get("/api/orders/").json()["count"] == 0


def test_api1_another_users_cart_line_cannot_be_read_changed_or_removed(alice, mallory):
    book = BookFactory(stock=5)
    item = cart_add_book(user=alice, book_id=book.pk, quantity=2)
    intruder = client_for(mallory)

    assert intruder.patch(f"/api/cart/items/{item.pk}/", {"quantity": 1}, format="json").status_code == 404
    assert intruder.delete(f"/api/cart/items/{item.pk}/").status_code == 404
    assert intruder.get("/api/cart/").json()["items"] == []
    intruder.delete("/api/cart/")
    assert CartItem.objects.get(pk=item.pk).quantity == 2


# --- API2:2023 Broken Authentication ------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token",
        "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoiMSIsInRva2VuX3R5cGUiOiJhY2Nlc3MifQ.",
        "Basic YWxpY2U6cGFzc3dvcmQ=",
    ],
)
def test_api2_forged_or_foreign_credentials_are_refused(alice, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/users/me/").status_code == 401


def test_api2_a_refresh_token_is_not_an_access_token(alice):
    refresh = (
        APIClient()
        .post(
            "/api/auth/login/", {"email": alice.email, "password": "correct-horse-battery-9"}, format="json"
        )
        .json()["refresh"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refresh}")
    assert client.get("/api/users/me/").status_code == 401


def test_api2_password_guessing_is_throttled(alice, settings):
    client = APIClient()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert (
            client.post(
                "/api/auth/login/", {"email": alice.email, "password": "guess"}, format="json"
            ).status_code
            == 401
        )
    right = client.post(
        "/api/auth/login/", {"email": alice.email, "password": "correct-horse-battery-9"}, format="json"
    )
    assert right.status_code == 429


# --- API3:2023 Broken Object Property Level Authorization -----------------------------------------


def test_api3_nobody_makes_themselves_staff(alice):
    registered = APIClient().post(
        "/api/auth/register/",
        {
            "email": "eve@example.com",
            "username": "eve",
            "password": "a-long-Enough-pass-77",
            "is_staff": True,
            "is_superuser": True,
        },
        format="json",
    )
    assert registered.status_code == 201 and registered.json()["is_staff"] is False
    client_for(alice).patch(
        "/api/users/me/", {"is_staff": True, "is_superuser": True, "email": "x@y.z"}, format="json"
    )
    alice.refresh_from_db()
    assert (alice.is_staff, alice.is_superuser, alice.email.endswith("@example.com")) == (False, False, True)


def test_api3_status_total_and_owner_are_never_taken_from_the_client(alice, mallory):
    book = BookFactory(stock=5, price=Decimal("20.00"))
    cart_add_book(user=alice, book_id=book.pk, quantity=1)

    response = client_for(alice).post(
        "/api/orders/",
        {
            **checkout_body(),
            "total": "0.01",
            "subtotal": "0.01",
            "status": "paid",
            "user": mallory.pk,
            "discount": "19.99",
        },
        format="json",
    )

    assert response.status_code == 201
    order = Order.objects.get(pk=response.json()["id"])
    assert (order.status, order.total, order.user_id) == ("pending", Decimal("20.00"), alice.pk)


def test_api3_order_bodies_never_carry_a_client_secret(alice):
    order = _order_of(alice)
    PaymentFactory(order=order, client_secret="pi_x_secret_hidden")
    own = client_for(alice)
    assert b"secret_hidden" not in own.get(f"/api/orders/{order.pk}/").content
    assert b"secret_hidden" not in own.get("/api/orders/").content


def test_api3_staff_payment_history_carries_no_client_secret(alice, staff_client):
    order = _order_of(alice)
    PaymentFactory(order=order, client_secret="pi_y_secret_hidden")
    assert b"secret_hidden" not in staff_client.get("/api/admin/payments/").content


# --- API4:2023 Unrestricted Resource Consumption ---------------------------------------------------


def test_api4_page_size_is_capped(api_client):
    BookFactory.create_batch(3)
    assert api_client.get("/api/books/?page_size=100000").status_code == 200


def test_api4_quantities_are_bounded_and_change_nothing(alice):
    book = BookFactory(stock=10**6)
    response = client_for(alice).post(
        "/api/cart/items/", {"book_id": book.pk, "quantity": 10**9}, format="json"
    )
    assert response.status_code == 400
    assert not CartItem.objects.exists()


def test_api4_search_text_is_bounded(api_client):
    assert api_client.get("/api/books/", {"search": "x" * 5000}).status_code == 400


def test_api4_uploads_over_5_mb_are_refused(staff_client, settings, tmp_path):
    book = BookFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    oversized = buffer.getvalue() + b"\0" * (5 * 1024 * 1024)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        f"/api/books/{book.pk}/cover/",
        {"image": SimpleUploadedFile("big.png", oversized)},
        format="multipart",
    )
    assert response.status_code == 413
    book.refresh_from_db()
    assert not book.cover


# --- API5:2023 Broken Function Level Authorization ------------------------------------------------

STAFF_ROUTES = [
    ("get", "/api/admin/users/"),
    ("post", "/api/admin/users/{other}/deactivate/"),
    ("post", "/api/admin/users/{other}/reactivate/"),
    ("get", "/api/admin/orders/"),
    ("patch", "/api/admin/orders/{order}/"),
    ("get", "/api/admin/coupons/"),
    ("post", "/api/admin/coupons/"),
    ("get", "/api/admin/reports/sales/"),
    ("get", "/api/admin/reports/low-stock/"),
    ("get", "/api/admin/payments/"),
    ("post", "/api/books/"),
    ("patch", "/api/books/{book}/"),
    ("delete", "/api/books/{book}/"),
    ("patch", "/api/books/{book}/stock/"),
    ("post", "/api/books/{book}/cover/"),
    ("post", "/api/genres/"),
    ("post", "/api/admin/orders/{order}/ship/"),
    ("post", "/api/admin/orders/{order}/deliver/"),
    ("post", "/api/admin/orders/{order}/cancel/"),
    ("post", "/api/admin/orders/{order}/refunds/"),
    ("get", "/api/admin/shipping-methods/"),
    ("post", "/api/admin/shipping-methods/"),
    ("get", "/api/admin/tax-rates/"),
    ("post", "/api/admin/tax-rates/"),
    ("get", "/api/admin/returns/"),
]


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_api5_customers_get_403_and_strangers_401_on_every_staff_route(alice, mallory, method, path):
    order = _order_of(mallory)
    book = BookFactory(stock=4)
    url = path.format(other=mallory.pk, order=order.pk, book=book.pk)

    customer = getattr(client_for(alice), method)(url, {"stock": 0, "status": "cancelled"}, format="json")
    stranger = getattr(APIClient(), method)(url, {"stock": 0, "status": "cancelled"}, format="json")

    assert (customer.status_code, stranger.status_code) == (403, 401)
    book.refresh_from_db()
    order.refresh_from_db()
    mallory.refresh_from_db()
    assert (book.stock, book.is_active, order.status, mallory.is_active) == (4, True, "pending", True)


def test_api5_the_staff_route_list_covers_every_admin_path_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    documented = {
        re.sub(r"\{[^}]+\}", "{}", path) for path in schema["paths"] if path.startswith("/api/admin/")
    }
    listed = {re.sub(r"\{[^}]+\}", "{}", path) for _, path in STAFF_ROUTES}
    assert documented - listed <= {
        "/api/admin/users/{}/",
        "/api/admin/orders/{}/",
        "/api/admin/coupons/{}/",
        "/api/admin/payments/{}/",
        "/api/admin/shipping-methods/{}/",
        "/api/admin/tax-rates/{}/",
        "/api/admin/returns/{}/",
        "/api/admin/returns/{}/reject/",
    }


# --- API6:2023 Unrestricted Access to Sensitive Business Flows --------------------------------------


def test_api6_a_second_click_on_checkout_makes_no_second_order(alice):
    book = BookFactory(stock=5)
    cart_add_book(user=alice, book_id=book.pk, quantity=1)
    client = client_for(alice)

    first = client.post("/api/orders/", checkout_body(), format="json")
    second = client.post("/api/orders/", checkout_body(), format="json")

    assert (first.status_code, second.status_code, second.json()["code"]) == (201, 400, "cart_empty")
    assert Order.objects.count() == 1
    book.refresh_from_db()
    assert book.stock == 4


def test_api6_password_reset_reveals_nothing_about_accounts(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = APIClient().post("/api/auth/password-reset/", {"email": alice.email}, format="json")
        unknown = APIClient().post("/api/auth/password-reset/", {"email": "ghost@example.com"}, format="json")
    assert (known.status_code, unknown.status_code) == (204, 204)
    assert known.content == unknown.content == b""
    assert [message.to for message in mail.outbox] == [[alice.email]]


# --- API7:2023 Server Side Request Forgery -------------------------------------------------------


def test_api7_the_shop_fetches_no_url_a_client_sends(staff_client):
    response = staff_client.post(
        "/api/books/",
        {
            "title": "T",
            "author": "A",
            "isbn": "9780306406157",
            "price": "5.00",
            "cover_url": "http://169.254.169.254/latest/meta-data/",
            "cover": "http://127.0.0.1:22/",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["cover_url"] is None
    assert not Book.objects.get(pk=response.json()["id"]).cover


# --- API8:2023 Security Misconfiguration --------------------------------------------------------


def _load_production_settings():
    """The production settings module as the environment makes it now (base reads the environment)."""
    import bookstore.settings.base as base

    importlib.reload(base)
    import bookstore.settings.production as production

    return importlib.reload(production)


@pytest.fixture
def production_settings(monkeypatch):
    import secrets

    monkeypatch.setenv("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))
    return _load_production_settings()


def test_api8_production_settings_lock_cookies_and_transport(production_settings):
    assert production_settings.DEBUG is False
    assert production_settings.SESSION_COOKIE_SECURE and production_settings.SESSION_COOKIE_HTTPONLY
    assert production_settings.CSRF_COOKIE_SECURE
    assert production_settings.SECURE_SSL_REDIRECT and production_settings.SECURE_HSTS_SECONDS >= 31536000
    assert production_settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.parametrize("key", [None, "django-insecure-" + "a1b2c3d4e5" * 6, "k" * 64, "short-Key-1"])
def test_api8_production_refuses_to_start_without_a_real_key(monkeypatch, key):
    from django.core.exceptions import ImproperlyConfigured

    if key is None:
        monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("DJANGO_SECRET_KEY", key)

    with pytest.raises(ImproperlyConfigured):
        _load_production_settings()


def test_api8_the_deploy_check_passes_with_production_settings(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bookstore.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "shop.example.com",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_api8_shopper_forms_enforce_csrf(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post("/accounts/logout/").status_code == 403
    assert browser.post("/accounts/login/", {"email": alice.email, "password": "x"}).status_code == 403


def test_api8_errors_do_not_leak_internals(api_client):
    response = api_client.get("/api/books/999999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert b"Traceback" not in response.content


# --- API9:2023 Improper Inventory Management -----------------------------------------------------


def test_api9_every_api_route_is_documented(api_client):
    from django.urls import get_resolver

    schema_paths = set(api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"])
    normalised = {re.sub(r"\{[^}]+\}", "{}", path).rstrip("/") for path in schema_paths}
    undocumented = set()
    for pattern in get_resolver("bookstore.api_urls").url_patterns:
        raw = str(pattern.pattern)
        if "<format>" in raw:
            continue  # the router's `.json` twins of documented routes
        route = "/api/" + raw.lstrip("^").replace("/?$", "").replace("$", "")
        route = re.sub(r"\(\?P<[^>]+>[^)]+\)", "{}", route).rstrip("/")
        if route.endswith(("schema", "docs", "redoc")):
            continue
        if route not in normalised:
            undocumented.add(route)
    assert not undocumented


# --- API10:2023 Unsafe Consumption of APIs -------------------------------------------------------


def test_api10_stripe_events_are_trusted_only_when_signed_and_fresh(alice):
    order = _order_of(alice)
    payment = PaymentFactory(order=order)
    body = event_body("payment_intent.succeeded", intent_object(payment))

    unsigned = post_event(APIClient(), body, signature=None)
    wrong = post_event(APIClient(), body, signature=sign(body, secret="whsec_attacker"))
    stale = post_event(APIClient(), body, signature=sign(body, timestamp=1_000_000_000))

    assert [r.status_code for r in (unsigned, wrong, stale)] == [400, 400, 400]
    order.refresh_from_db()
    assert order.status == "pending"


def test_api10_a_signed_event_for_the_wrong_amount_does_not_pay(alice):
    order = _order_of(alice)
    payment = PaymentFactory(order=order)
    body = event_body("payment_intent.succeeded", intent_object(payment, amount=1))

    assert post_event(APIClient(), body).status_code == 200
    order.refresh_from_db()
    assert order.status == "pending"

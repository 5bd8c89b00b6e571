"""Security checks organised by the OWASP API Security Top 10 (2023).

Each section names the risk and proves the shop's answer with two real users (and staff), through the
same front doors an attacker would use. Other test modules go deeper; this one is the map.

The findings of the attack run against production settings on MariaDB (issue 12) each have a regression
test here, named `finding<N>`: 1 deep JSON (API4), 2 collation variants of an email, 3 counting before
checking, 9 the owner behind a NAT (API2; the login page too), 4 the password reset timing (API6), 5 wrong
current passwords (API2; deeper in accounts/tests/test_password_change.py), 6 Django's own errors under
/api/, 7 the Stripe secrets in production, 8 the Content-Security-Policy (API8; the browser half in
tests_browser/test_csp.py), and "a request never fails after its transaction committed" (API10).
Token families, reuse detection and logout are tested in accounts/tests/test_tokens.py and
test_logout.py, login sessions in accounts/tests/test_login_sessions.py; attempt counting under threads
in accounts/tests/test_attempts.py.
"""

import importlib
import io
import json
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


def _login(email, password="correct-horse-battery-9", *, ip="127.0.0.1"):
    return APIClient().post(
        "/api/auth/login/", {"email": email, "password": password}, format="json", REMOTE_ADDR=ip
    )


def test_api2_finding2_spellings_of_a_made_up_email_share_one_failure_count(settings):
    """Finding 2: each case/accent variant of an email got its own failure count."""
    variants = ["ghöst@example.com", "GHOST@example.com", "ghóst@EXAMPLE.com", " Ghost@example.com "]
    for n in range(settings.LOGIN_FAILURE_LIMIT):  # from addresses of their own: the account's count only
        assert _login(variants[n % len(variants)], "guess", ip=f"198.51.100.{n}").status_code == 401

    assert _login("ghost@example.com", "guess", ip="198.51.100.99").status_code == 429


@pytest.mark.mariadb
def test_api2_finding2_every_spelling_mariadb_takes_for_an_account_counts_against_it(settings):
    """On utf8mb4_unicode_ci `cüst@…` logs into `cust@…`: it must count against the same account."""
    customer = UserFactory(email="cust@example.com")
    variants = [
        "cüst@example.com",
        "CÜST@example.com",
        "cúst@example.com",
        "Cust@Example.com",
        "cust@example.com",
    ]
    assert _login("cüst@example.com").status_code == 200  # the database takes the variant for the account
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        assert _login(variants[n % len(variants)], "guess", ip=f"198.51.100.{n}").status_code == 401

    for spelling in variants:
        response = _login(spelling, ip="198.51.100.99")
        assert response.status_code == 429, (spelling, response.content)
        assert "access" not in response.json()
    customer.refresh_from_db()
    assert customer.check_password("correct-horse-battery-9")


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_api2_finding3_concurrent_wrong_logins_get_at_most_the_limits_password_checks(settings):
    """Finding 3: the lockout checked, then counted: 40 concurrent guesses got 10 checks for a limit of 5.
    Here on the database cache production uses, whose `incr` is a read then a write."""
    from django.contrib.auth.signals import user_login_failed
    from django.core.cache import cache
    from django.core.management import call_command

    from conftest import run_in_threads

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "owasp_login_cache",
        },
    }
    call_command("createcachetable", "owasp_login_cache")
    customer = UserFactory()
    checks = []
    user_login_failed.connect(lambda **kwargs: checks.append(1), weak=False, dispatch_uid="owasp-finding3")
    try:
        statuses = run_in_threads(lambda: _login(customer.email, "guess").status_code, [()] * 40, timeout=120)
    finally:
        user_login_failed.disconnect(dispatch_uid="owasp-finding3")
        cache.clear()

    assert len(checks) <= settings.LOGIN_FAILURE_LIMIT
    assert statuses.count(401) == len(checks)
    assert statuses.count(429) == 40 - len(checks)


def test_api2_finding9_failures_for_made_up_emails_do_not_lock_the_owner_out_behind_a_nat(alice, settings):
    """Finding 9: 5 failures for made-up emails from one address locked the real customer out."""
    for n in range(settings.LOGIN_FAILURE_LIMIT * 2):
        assert _login(f"made-up-{n}@example.com", "guess", ip="203.0.113.9").status_code == 401

    api = _login(alice.email, ip="203.0.113.9")
    page = Client(REMOTE_ADDR="203.0.113.9").post(
        "/accounts/login/", {"email": alice.email, "password": "correct-horse-battery-9"}
    )

    assert api.status_code == 200, api.content
    assert page.status_code == 302 and "_auth_user_id" in page.client.session


def test_api2_finding9_a_password_spray_from_one_address_is_still_stopped(alice, settings):
    for n in range(settings.LOGIN_FAILURE_IP_LIMIT):
        _login(f"user{n}@example.com", "Summer2024!", ip="203.0.113.10")

    assert _login(alice.email, ip="203.0.113.10").status_code == 429
    assert _login(alice.email, ip="203.0.113.11").status_code == 200


def test_api2_finding5_wrong_current_passwords_are_throttled(alice, settings):
    """Finding 5: /api/users/me/password/ checked unlimited wrong old passwords (an Argon2 hash each)."""
    client = client_for(alice)
    wrong = {"old_password": "guess", "new_password": "a-new-Password-77"}
    statuses = [
        client.post("/api/users/me/password/", wrong, format="json").status_code
        for _ in range(settings.LOGIN_FAILURE_LIMIT + 2)
    ]

    assert statuses == [400] * settings.LOGIN_FAILURE_LIMIT + [429, 429]
    alice.refresh_from_db()
    assert alice.check_password("correct-horse-battery-9")


def test_api2_finding5_the_password_change_page_is_throttled_too(alice, settings):
    browser = Client()
    browser.force_login(alice)
    wrong = {
        "old_password": "guess",
        "new_password": "a-new-Password-77",
        "new_password2": "a-new-Password-77",
    }
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert browser.post("/accounts/password/", wrong).status_code == 200

    response = browser.post("/accounts/password/", wrong)

    assert response.status_code == 429
    assert b"Too many wrong passwords" in response.content


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


DEEP_JSON = "[" * 1000 + "]" * 1000  # 2 KB; the finding's body


@pytest.mark.parametrize(
    ("caller", "path"),
    [
        ("anonymous", "/api/auth/login/"),
        ("anonymous", "/api/auth/register/"),
        ("anonymous", "/api/auth/password-reset/"),
        ("anonymous", "/api/auth/refresh/"),
        ("customer", "/api/cart/items/"),
        ("customer", "/api/orders/"),
        ("customer", "/api/users/me/password/"),
    ],
)
@pytest.mark.parametrize(
    "body",
    [DEEP_JSON, '{"email": ' * 40 + '"x"' + "}" * 40],
    ids=["recursion-deep", "deeper-than-any-input"],
)
def test_api4_finding1_deeply_nested_json_is_a_400_with_the_error_body(alice, caller, path, body):
    """Finding 1: a body nested ~1,000 levels deep was a 500 (HTML) on every JSON endpoint."""
    client = client_for(alice) if caller == "customer" else APIClient()

    response = client.post(path, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["code"] == "parse_error"
    assert not Order.objects.exists() and not CartItem.objects.exists()
    assert mail.outbox == []


def test_api4_finding1_a_deep_body_on_a_patch_changes_nothing(alice):
    response = client_for(alice).patch("/api/users/me/", DEEP_JSON, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    alice.refresh_from_db()
    assert alice.first_name == "Ada"


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
    ("get", "/api/admin/reports/stock-movements/"),
    ("get", "/api/admin/reports/inventory/"),
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


@pytest.mark.django_db(transaction=True)  # the lookup runs in its own thread, on its own connection
def test_api6_finding4_password_reset_answers_as_fast_for_a_known_email_as_for_an_unknown_one(settings):
    """Finding 4: the reset mail was sent inside the request, so a known email answered ~10x slower.
    Measured with a mail server as slow as a remote one (0.4 s a message)."""
    import statistics
    import time

    from core.background import background_threads
    from tests_support.slow_mail import SLOW_MAIL_SECONDS

    settings.BACKGROUND_TASKS = "embedded"  # tasks in this process's background threads, as without Redis
    settings.EMAIL_BACKEND = "tests_support.slow_mail.SlowEmailBackend"
    known = UserFactory()
    timings = {"known": [], "unknown": []}
    for n in range(4):
        for kind, email in [("known", known.email), ("unknown", f"nobody{n}@example.com")]:
            started = time.perf_counter()
            response = APIClient().post("/api/auth/password-reset/", {"email": email}, format="json")
            timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 204
    medians = {kind: statistics.median(values) for kind, values in timings.items()}

    assert medians["known"] < SLOW_MAIL_SECONDS / 2, medians
    assert abs(medians["known"] - medians["unknown"]) < SLOW_MAIL_SECONDS / 4, medians
    deadline = time.monotonic() + 10
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    background_threads.wait(10)
    # Requests in the same second carry the same reset token, hence one event and one mail.
    assert mail.outbox and {tuple(message.to) for message in mail.outbox} == {(known.email,)}


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


def _real_stripe_env() -> dict[str, str]:
    import secrets

    return {
        "STRIPE_SECRET_KEY": "sk_test_" + secrets.token_urlsafe(24),
        "STRIPE_PUBLISHABLE_KEY": "pk_test_" + secrets.token_urlsafe(24),
        "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_urlsafe(24),
    }


@pytest.fixture
def production_env(monkeypatch):
    """What an operator must set for production to start (README, "Production")."""
    import secrets

    monkeypatch.setenv("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.delenv("STRIPE_API_BASE", raising=False)
    for name, value in _real_stripe_env().items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.fixture
def production_settings(production_env):
    return _load_production_settings()


def test_api8_production_settings_lock_cookies_and_transport(production_settings):
    assert production_settings.DEBUG is False
    assert production_settings.SESSION_COOKIE_SECURE and production_settings.SESSION_COOKIE_HTTPONLY
    assert production_settings.CSRF_COOKIE_SECURE
    assert production_settings.SECURE_SSL_REDIRECT and production_settings.SECURE_HSTS_SECONDS >= 31536000
    assert production_settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.parametrize("key", [None, "django-insecure-" + "a1b2c3d4e5" * 6, "k" * 64, "short-Key-1"])
def test_api8_production_refuses_to_start_without_a_real_key(production_env, key):
    from django.core.exceptions import ImproperlyConfigured

    if key is None:
        production_env.delenv("DJANGO_SECRET_KEY", raising=False)
    else:
        production_env.setenv("DJANGO_SECRET_KEY", key)

    with pytest.raises(ImproperlyConfigured):
        _load_production_settings()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STRIPE_WEBHOOK_SECRET", None),
        ("STRIPE_WEBHOOK_SECRET", ""),
        ("STRIPE_WEBHOOK_SECRET", "whsec_localstripe"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_short"),
        ("STRIPE_WEBHOOK_SECRET", "not-a-stripe-secret-at-all-0123456789"),
        ("STRIPE_SECRET_KEY", None),
        ("STRIPE_SECRET_KEY", "sk_test_localstripe"),
        ("STRIPE_PUBLISHABLE_KEY", None),
        ("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe"),
    ],
)
def test_api8_finding7_production_refuses_to_start_without_real_stripe_secrets(production_env, name, value):
    """Finding 7: production fell back to the README's webhook secret, so anyone could sign "paid"."""
    from django.core.exceptions import ImproperlyConfigured

    if value is None:
        production_env.delenv(name, raising=False)
    else:
        production_env.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=name):
        _load_production_settings()


def test_api8_finding7_an_emulator_may_take_made_up_keys_but_never_the_demo_webhook_secret(production_env):
    from django.core.exceptions import ImproperlyConfigured

    production_env.setenv("STRIPE_API_BASE", "http://127.0.0.1:8420")
    production_env.setenv("STRIPE_SECRET_KEY", "sk_test_localstripe")
    production_env.setenv("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe")
    assert _load_production_settings().STRIPE_API_BASE == "http://127.0.0.1:8420"

    production_env.setenv("STRIPE_WEBHOOK_SECRET", "whsec_localstripe")
    with pytest.raises(ImproperlyConfigured, match="STRIPE_WEBHOOK_SECRET"):
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
        **_real_stripe_env(),
    }
    env.pop("STRIPE_API_BASE", None)
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


def test_api8_finding6_a_host_not_served_here_gets_the_error_body_under_the_api():
    """Finding 6: errors Django raises before DRF (bad Host, oversized body, CSRF) were HTML pages."""
    response = Client().post(
        "/api/auth/login/", {}, content_type="application/json", HTTP_HOST="evil.example"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "code"}
    assert Client().get("/", HTTP_HOST="evil.example")["Content-Type"].startswith("text/html")


def test_api8_finding6_a_body_over_the_upload_limit_is_a_413_with_the_error_body(alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = {"email": alice.email, "password": "p" * 2048}

    response = APIClient().post("/api/auth/login/", body, format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large.", "code": "too_large"}
    alice.refresh_from_db()
    assert alice.last_login is None


def test_api8_finding6_a_csrf_failure_outside_drf_gets_the_error_body_under_the_api():
    from django.conf import settings as django_settings
    from django.test import RequestFactory
    from django.urls import get_callable

    csrf_failure = get_callable(django_settings.CSRF_FAILURE_VIEW)

    api = csrf_failure(RequestFactory().post("/api/anything/"), reason="CSRF cookie not set.")
    page = csrf_failure(RequestFactory().post("/accounts/login/"), reason="CSRF cookie not set.")

    assert (api.status_code, api["Content-Type"]) == (403, "application/json")
    assert set(json.loads(api.content)) == {"detail", "code"}
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")


def test_api8_finding6_a_permission_denied_outside_drf_gets_the_error_body_under_the_api():
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.urls import get_resolver

    handler = get_resolver().resolve_error_handler(403)

    response = handler(RequestFactory().get("/api/anything/"), exception=PermissionDenied())

    assert (response.status_code, response["Content-Type"]) == (403, "application/json")
    assert set(json.loads(response.content)) == {"detail", "code"}


def _policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/register/", "/cart/", "/no/such/page/"])
def test_api8_finding8_shop_pages_send_a_strict_content_security_policy(path):
    """Finding 8: shop pages sent no Content-Security-Policy."""
    policy = _policy(Client().get(path))

    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert (policy["object-src"], policy["frame-ancestors"], policy["base-uri"]) == (
        ["'none'"],
        ["'none'"],
        ["'self'"],
    )
    assert (
        "https://js.stripe.com" in policy["script-src"] and "https://api.stripe.com" in policy["connect-src"]
    )
    assert set(policy["frame-src"]) == {"https://js.stripe.com", "https://hooks.stripe.com"}


def _nonce(policy) -> str:
    [nonce] = [source[len("'nonce-") : -1] for source in policy["script-src"] if source.startswith("'nonce-")]
    return nonce


def test_api8_finding8_the_pay_page_scripts_carry_the_policys_nonce_and_stripe_js_may_load(alice, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:8420"
    order = _order_of(alice)
    browser = Client()
    browser.force_login(alice)

    response = browser.get(f"/orders/{order.pk}/")

    policy = _policy(response)
    nonce = _nonce(policy)
    scripts = re.findall(r"<script [^>]*>", response.content.decode())
    assert len(scripts) == 4 and all(f'nonce="{nonce}"' in script for script in scripts)
    assert any("http://127.0.0.1:8420/js.stripe.com/v3/" in script for script in scripts)
    for directive in ("script-src", "connect-src", "frame-src"):
        assert "http://127.0.0.1:8420" in policy[directive]
    assert _nonce(_policy(browser.get(f"/orders/{order.pk}/"))) != nonce  # one per response


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


@pytest.fixture
def closed_smtp_port(settings):
    """Mail goes to an SMTP server that is down: a port on this machine nothing listens on."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return port


@pytest.mark.django_db(transaction=True)  # real commits, so the mail goes out inside the request
def test_api10_a_mail_server_that_is_down_never_fails_a_committed_checkout(alice, closed_smtp_port):
    """A request never fails after its transaction committed: the order is placed, so the answer is 201."""
    book = BookFactory(stock=3)
    cart_add_book(user=alice, book_id=book.pk, quantity=1)

    response = client_for(alice).post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 201, response.content
    assert Order.objects.filter(user=alice, status="pending").count() == 1
    book.refresh_from_db()
    assert book.stock == 2


@pytest.mark.django_db(transaction=True)
def test_api10_a_mail_server_that_is_down_never_fails_a_password_reset_or_a_registration(
    alice, closed_smtp_port
):
    reset = APIClient().post("/api/auth/password-reset/", {"email": alice.email}, format="json")
    registered = APIClient().post(
        "/api/auth/register/",
        {"email": "new@example.com", "username": "newreader", "password": "a-long-Enough-pass-77"},
        format="json",
    )

    assert (reset.status_code, registered.status_code) == (204, 201)
    assert _login("new@example.com", "a-long-Enough-pass-77").status_code == 200


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

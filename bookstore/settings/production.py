"""Production: refuses to start without a real secret key and real Stripe secrets; HTTPS-only cookies
and HSTS; a strict Content-Security-Policy (see base.py)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    SECRET_KEY,
    STRIPE_API_BASE,
    STRIPE_PUBLISHABLE_KEY,
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
)
from .env import env_bool, env_int

DEBUG = False

if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters in production."
    )

# The values the README and the demo use: anyone can read them, so anyone could sign a webhook with them.
DEMO_STRIPE_VALUES = {"sk_test_localstripe", "pk_test_localstripe", "whsec_localstripe"}


def stripe_settings_problems(*, secret_key: str, publishable_key: str, webhook_secret: str, api_base: str):
    """What is wrong with the Stripe settings for production (empty when nothing is).

    The webhook secret decides who may mark an order paid: it must always be a real one. The API keys
    may be a Stripe emulator's made-up ones only when STRIPE_API_BASE points the client at that emulator.
    """
    problems = []
    if (
        webhook_secret in DEMO_STRIPE_VALUES
        or not webhook_secret.startswith("whsec_")
        or len(webhook_secret) < len("whsec_") + 16
    ):
        problems.append("STRIPE_WEBHOOK_SECRET (the endpoint's signing secret, whsec_…)")
    if not api_base:
        if secret_key in DEMO_STRIPE_VALUES or not secret_key.startswith(("sk_live_", "sk_test_", "rk_")):
            problems.append("STRIPE_SECRET_KEY (sk_live_… or sk_test_…)")
        if publishable_key in DEMO_STRIPE_VALUES or not publishable_key.startswith(("pk_live_", "pk_test_")):
            problems.append("STRIPE_PUBLISHABLE_KEY (pk_live_… or pk_test_…)")
    return problems


_stripe_problems = stripe_settings_problems(
    secret_key=STRIPE_SECRET_KEY,
    publishable_key=STRIPE_PUBLISHABLE_KEY,
    webhook_secret=STRIPE_WEBHOOK_SECRET,
    api_base=STRIPE_API_BASE,
)
if _stripe_problems:
    raise ImproperlyConfigured(
        "Production needs real Stripe settings; set " + "; ".join(_stripe_problems) + ". The demo values "
        "are refused (API keys may be an emulator's only when STRIPE_API_BASE points at one)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# The social sign-in's callback URLs (registered at Google and GitHub) are https ones.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

"""The Content-Security-Policy's room for Stripe.js (the policy itself is CONTENT_SECURITY_POLICY).

Stripe.js is loaded from js.stripe.com, talks to api.stripe.com and opens its frames (card fields, 3-D
Secure) from js.stripe.com and hooks.stripe.com. With STRIPE_API_BASE set, the pay page loads Stripe.js
from that emulator and talks to it (payments.stripe_client.js_url), so its origin is allowed too. The
middleware reads the settings per response, so a test or an operator changing STRIPE_API_BASE gets a
policy that follows.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings

STRIPE_SOURCES = {
    "script-src": ["https://js.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "img-src": ["https://*.stripe.com"],
}


def stripe_csp_sources() -> dict[str, list[str]]:
    """Stripe's origins per directive, plus the emulator's when STRIPE_API_BASE points at one."""
    sources = {directive: list(origins) for directive, origins in STRIPE_SOURCES.items()}
    api_base = urlsplit(settings.STRIPE_API_BASE)
    if api_base.scheme and api_base.netloc:
        emulator = f"{api_base.scheme}://{api_base.netloc}"
        for directive in ("script-src", "connect-src", "frame-src"):
            sources[directive].append(emulator)
    return sources


class StripeCSPMiddleware(CSPMiddleware):
    """django-csp's middleware (per-request nonces), with Stripe.js's origins added to the policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only:
            parts.update = {**stripe_csp_sources(), **(parts.update or {})}
        return parts

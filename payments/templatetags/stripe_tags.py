"""What a page needs to take a card payment with Stripe.js: `{% load stripe_tags %}`."""

from django import template
from django.conf import settings

from payments import stripe_client

register = template.Library()


@register.simple_tag
def stripe_js_url() -> str:
    """`<script src="{% stripe_js_url %}">`: real Stripe.js, or the configured emulator's."""
    return stripe_client.js_url()


@register.simple_tag
def stripe_publishable_key() -> str:
    return settings.STRIPE_PUBLISHABLE_KEY

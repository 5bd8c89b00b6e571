"""Shape of the checkout page's input; coupon and stock rules are `checkout.services.order_place`'s."""

from django import forms

from core.forms import ShopForm
from orders.models import COUPON_CODE_MAX_LENGTH


class CheckoutForm(ShopForm):
    # Required on the page (a bookshop ships parcels); the API leaves it optional for other clients.
    shipping_address = forms.CharField(
        label="Shipping address",
        max_length=1000,
        help_text="Name, street, town, postcode and country, as the parcel should show them.",
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "shipping street-address"}),
    )
    coupon_code = forms.CharField(
        label="Coupon code (optional)",
        max_length=COUPON_CODE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AccountCloseForm(ShopForm):
    password = forms.CharField(
        label="Your password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account is closed for good and cannot be restored.",
        error_messages={"required": "Tick the box to confirm that you want to close your account."},
    )

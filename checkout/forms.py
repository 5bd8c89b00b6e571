"""Shape of the checkout page's input; address, shipping, coupon and stock rules are the services'
(`accounts.addresses`, `checkout.quotes.checkout_quote`, `checkout.services.order_place`)."""

from django import forms

from core.forms import ShopForm
from orders.models import COUPON_CODE_MAX_LENGTH

from .services import NOTE_MAX_LENGTH

NEW_ADDRESS = "new"


class CheckoutForm(ShopForm):
    address = forms.ChoiceField(label="Ship to", widget=forms.RadioSelect)
    shipping_method = forms.ChoiceField(label="Shipping method")
    coupon_code = forms.CharField(
        label="Coupon code (optional)",
        max_length=COUPON_CODE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label="Note for the shop (optional)",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
    )

    def __init__(self, *args, addresses, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [(str(address.pk), str(address)) for address in addresses] + [
            (NEW_ADDRESS, "A new address")
        ]
        self.fields["shipping_method"].choices = [(method.code, method_label(method)) for method in methods]


def method_label(method) -> str:
    per_item = f" + {method.per_item_price} a copy" if method.per_item_price else ""
    free = f", free from {method.free_over}" if method.free_over is not None else ""
    days = f"{method.estimated_days_min}–{method.estimated_days_max} days"
    return f"{method.name}: {method.base_price}{per_item}{free} ({days})"


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

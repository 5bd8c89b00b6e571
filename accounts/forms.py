"""Shapes of the account pages' input. The rules (unique email, password strength, throttling) are the
services' business; these forms only check that the input is well formed."""

from django import forms
from django.contrib.auth import get_user_model, password_validation

from core.forms import ShopForm

from .addresses import country_choices

User = get_user_model()


def _password_field(label: str, autocomplete: str, *, with_rules: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        help_text=password_validation.password_validators_help_text_html() if with_rules else "",
    )


def _username_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        max_length=150,
        validators=[User.username_validator],
        help_text="Shown on your reviews. Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        **kwargs,
    )


def _name_field(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class _ConfirmedPasswordForm(ShopForm):
    """Asks for a new password twice, so a typo does not lock the shopper out."""

    password_field = "new_password"
    confirm_field = "new_password2"

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get(self.password_field), cleaned.get(self.confirm_field)
        if first and second and first != second:
            self.add_error(self.confirm_field, "The two passwords do not match.")
        return cleaned


class LoginForm(ShopForm):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = _password_field("Password", "current-password")


class RegisterForm(_ConfirmedPasswordForm):
    password_field = "password"
    confirm_field = "password2"

    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    username = _username_field()
    first_name = _name_field("First name (optional)", "given-name")
    last_name = _name_field("Last name (optional)", "family-name")
    password = _password_field("Password", "new-password", with_rules=True)
    password2 = _password_field("Confirm password", "new-password")


class ProfileForm(ShopForm):
    username = _username_field()
    first_name = _name_field("First name", "given-name")
    last_name = _name_field("Last name", "family-name")


class PasswordChangeForm(_ConfirmedPasswordForm):
    old_password = _password_field("Current password", "current-password")
    new_password = _password_field("New password", "new-password", with_rules=True)
    new_password2 = _password_field("Confirm new password", "new-password")


class PasswordResetForm(ShopForm):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class SetPasswordForm(_ConfirmedPasswordForm):
    new_password = _password_field("New password", "new-password", with_rules=True)
    new_password2 = _password_field("Confirm new password", "new-password")


class AddressForm(ShopForm):
    """An address's shape on the account pages and at checkout; `accounts.addresses` judges it."""

    full_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    line1 = forms.CharField(
        label="Address", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "address-line1"})
    )
    line2 = forms.CharField(
        label="Address line 2 (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        label="Town or city", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    region = forms.CharField(
        label="State, province or county",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    postal_code = forms.CharField(
        label="Postal code",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    country = forms.ChoiceField(label="Country", widget=forms.Select(attrs={"autocomplete": "country"}))
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Choose a country"), *country_choices()]


class AddressBookForm(AddressForm):
    is_default = forms.BooleanField(label="Use as my default address", required=False)

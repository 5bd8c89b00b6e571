"""Helpers shared by the shopper pages' forms."""

from django import forms
from django.core.exceptions import ValidationError

from .errors import BusinessError


def form_add_service_errors(form: forms.Form, exc: ValidationError | BusinessError) -> None:
    """Show a service's refusal on the form that fed it.

    Services report `{"field": [...]}` (or a business refusal naming its `field`); errors for a field
    the form has appear beside it, the rest (and errors without a field) at the top of the form.
    """
    if isinstance(exc, BusinessError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ShopForm(forms.Form):
    """Base for the shopper pages' forms: labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def form_cleaned_or_refuse(form: forms.Form) -> dict:
    """The form's cleaned data, or a ValidationError naming each problem by its field's label, for
    actions whose refusals `core.page_errors` reports as one message ("Quantity: Enter a whole number.")."""
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError(
        [
            f"{form[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
            for name, errors in form.errors.items()
        ]
    )

"""Helpers shared by the shopper pages' forms."""

from django import forms
from django.core.exceptions import ValidationError


def form_add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form that fed it.

    Services report `{"field": [...]}`; errors for a field the form has appear beside it, the rest
    (and errors without a field) at the top of the form.
    """
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

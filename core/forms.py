"""Helpers shared by the shopper pages' forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

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


class ServiceRulesModelForm(forms.ModelForm):
    """An admin ModelForm whose rules are a service's: its `clean()` calls the service's validation (so
    the admin refuses with the API's words, beside the right field) and `save_model` calls the service.

    Django's ModelForm would also run the model's own field checks (lengths, validators, uniqueness),
    which only repeat those rules in other words; this form copies the cleaned values onto the instance
    without them.
    """

    def _post_clean(self):
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as exc:
            self._update_errors(exc)

    def add_service_errors(self, exc: ValidationError) -> None:
        form_add_service_errors(self, exc)

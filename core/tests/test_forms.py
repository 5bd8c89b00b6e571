"""Service validation errors land on the right form fields."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import form_add_service_errors


class EmailForm(forms.Form):
    email = forms.EmailField()


def test_field_errors_go_beside_their_field_and_the_rest_on_top():
    form = EmailForm({"email": "a@example.com"})
    assert form.is_valid()

    form_add_service_errors(form, ValidationError({"email": ["Taken."], "token": ["Link expired."]}))

    assert form.errors["email"] == ["Taken."]
    assert form.non_field_errors() == ["Link expired."]
    assert "email" not in form.cleaned_data


def test_an_error_without_a_field_goes_on_top():
    form = EmailForm({"email": "a@example.com"})
    assert form.is_valid()

    form_add_service_errors(form, ValidationError("Something is off."))

    assert form.non_field_errors() == ["Something is off."]

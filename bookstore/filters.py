"""Filter pieces shared by the API's filter sets."""

from django import forms
from django.core.exceptions import ValidationError
from django_filters.rest_framework import BooleanFilter


class TrueFalseField(forms.Field):
    """`true` or `false` (any case; also 1/0). Anything else is an error, where django-filter's own
    boolean widget would turn it into "no filter" and quietly answer with the unfiltered list."""

    default_error_messages = {"invalid": "Use true or false."}
    _VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self._VALUES[str(value).lower()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class StrictBooleanFilter(BooleanFilter):
    """A boolean query filter (typed as boolean in the OpenAPI schema) that answers 400 to a typo."""

    field_class = TrueFalseField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)

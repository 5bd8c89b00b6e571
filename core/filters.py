"""Query-string filters shared by the list endpoints."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .dates import filter_days

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


def _is_true(value: str) -> bool:
    return value == "true"


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.TypedChoiceFilter):
    """`true` or `false`; any other value is a 400.

    django-filter's BooleanFilter turns an unknown value into "no filter", so a typo such as
    `?is_active=flase` would silently answer with every row.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        kwargs.setdefault("coerce", _is_true)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number (an id): `1.5` is a 400, not a lookup the database is left to round."""

    field_class = forms.IntegerField


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet, with its form class built once per filter set instead of per request.

    django-filter makes a new form class (a metaclass run over every field) each time a filter set reads
    its query string, a millisecond on the busiest list. Our filters' form fields depend only on their
    declarations, never on the request or the queryset, so one class serves every request.
    """

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class


class DayRangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from") and cleaned.get("to") and cleaned["from"] > cleaned["to"]:
            self.add_error("from", "Must not be after `to`.")
        return cleaned


class DayRangeFilterSet(FilterSet):
    """`?from=&to=`: the days (inclusive, in the shop's time zone) whose rows to list, by `day_field`, as
    the sales report takes them. `from` after `to` is a 400."""

    day_field = "created_at"
    date_from = filters.DateFilter(method="filter_from", help_text="First day (inclusive).")
    date_to = filters.DateFilter(method="filter_to", help_text="Last day (inclusive).")

    class Meta:
        form = DayRangeForm

    @classmethod
    def get_filters(cls):
        """`from` and `to` are Python keywords, so they are declared as `date_from` and `date_to`."""
        found = super().get_filters()
        found["from"], found["to"] = found.pop("date_from"), found.pop("date_to")
        return found

    def filter_from(self, queryset, name, value):
        return filter_days(queryset, self.day_field, value, None)

    def filter_to(self, queryset, name, value):
        return filter_days(queryset, self.day_field, None, value)

"""Query-string filters shared by the list endpoints."""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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

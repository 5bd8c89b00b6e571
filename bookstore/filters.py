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

"""Serializer fields shared by the apps' APIs."""

from decimal import Decimal, InvalidOperation

from rest_framework import serializers


class AnyDecimalField(serializers.DecimalField):
    """A decimal shown with two places (or `decimal_places`). Any number is read: its range and places are judged by the
    service's rules, so the API refuses a bad amount in the same words as the admin and the import."""

    def __init__(self, decimal_places: int = 2, **kwargs):
        super().__init__(max_digits=None, decimal_places=decimal_places, **kwargs)

    def to_internal_value(self, data):
        try:
            value = Decimal(str(data).strip())
        except (InvalidOperation, ValueError, TypeError):
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        return value

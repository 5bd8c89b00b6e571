"""Reading an amount of money from any input (API, admin form, import) by one rule."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

CENT = Decimal("0.01")


def money_clean(value, *, low: Decimal, high: Decimal, message: str, low_included: bool = False) -> Decimal:
    """`value` as a Decimal in whole cents within (low, high] (or [low, high] with `low_included`),
    or ValidationError(message)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(message) from None
    too_low = amount < low if low_included else amount <= low
    if not amount.is_finite() or too_low or amount > high or amount != amount.quantize(CENT):
        raise ValidationError(message)
    return amount.quantize(CENT)

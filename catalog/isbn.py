"""ISBN-10/13 validation and normalisation. Books are stored under their ISBN-13."""

import re

from django.core.exceptions import ValidationError

_SEPARATORS = re.compile(r"[\s-]")


def _isbn10_is_valid(digits: str) -> bool:
    if not re.fullmatch(r"[0-9]{9}[0-9X]", digits):
        return False
    total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(digits))
    return total % 11 == 0


def _isbn13_check_digit(first12: str) -> str:
    total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(first12))
    return str((10 - total % 10) % 10)


def _isbn13_is_valid(digits: str) -> bool:
    return bool(re.fullmatch(r"97[89][0-9]{10}", digits)) and _isbn13_check_digit(digits[:12]) == digits[12]


def isbn_normalize(value: str) -> str | None:
    """The ISBN-13 for a valid ISBN-10 or ISBN-13 (hyphens and spaces ignored), else None."""
    digits = _SEPARATORS.sub("", str(value or "")).upper()
    if len(digits) == 10 and _isbn10_is_valid(digits):
        first12 = "978" + digits[:9]
        return first12 + _isbn13_check_digit(first12)
    if len(digits) == 13 and _isbn13_is_valid(digits):
        return digits
    return None


def isbn_validate(value: str) -> str:
    normalized = isbn_normalize(value)
    if normalized is None:
        raise ValidationError(
            "Enter a valid ISBN-10 or ISBN-13 (the check digit does not match).", code="invalid_isbn"
        )
    return normalized


def isbn13_from_prefix(first12: str) -> str:
    """Completes twelve digits with their check digit (used to generate demo and benchmark data)."""
    return first12 + _isbn13_check_digit(first12)

"""Shipping methods: what makes one valid, writing them, which ship to a country, and an order's copy.

`shipping_method_clean` is the one set of rules and messages for a method's terms, used by the staff
API's serializer door, the admin's form and the services below alike.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_countries import countries as all_countries

from core.limits import MONEY_MAX
from core.money import money_clean

from .exceptions import ShippingUnavailable
from .models import ShippingMethod
from .pricing import ShippingTerms

SHIPPING_CODE_MAX_LENGTH = 40
SHIPPING_NAME_MAX_LENGTH = 100
SHIPPING_MAX_DAYS = 365
TERMS = (
    "code",
    "name",
    "countries",
    "base_price",
    "per_item_price",
    "free_over",
    "estimated_days_min",
    "estimated_days_max",
    "is_active",
)

MESSAGES = {
    "code": f"Enter a code of at most {SHIPPING_CODE_MAX_LENGTH} lower-case letters, digits and hyphens.",
    "code_taken": "A shipping method with this code already exists.",
    "name": f"Enter a name of at most {SHIPPING_NAME_MAX_LENGTH} characters.",
    "countries": 'Give a list of two-letter ISO 3166-1 country codes such as ["US", "CA"], or [] for everywhere.',
    "price": f"Enter an amount from 0 to {MONEY_MAX}, with at most two decimal places.",
    "free_over": f"Enter an amount from 0 to {MONEY_MAX}, with at most two decimal places, or nothing.",
    "days": f"Enter a whole number of days from 0 to {SHIPPING_MAX_DAYS}.",
    "days_order": "Must not be less than estimated_days_min.",
    "is_active": "Must be true or false.",
}


def _code_clean(value) -> str:
    code = str(value or "").strip().lower()
    if (
        not code
        or len(code) > SHIPPING_CODE_MAX_LENGTH
        or not all(c.isascii() and (c.isalnum() or c == "-") for c in code)
    ):
        raise ValidationError(MESSAGES["code"])
    return code


def _countries_clean(value) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValidationError(MESSAGES["countries"])
    codes = []
    for item in value:
        code = str(getattr(item, "code", item) or "").strip().upper()
        if len(code) != 2 or not code.isascii() or code not in all_countries:
            raise ValidationError(MESSAGES["countries"])
        if code not in codes:
            codes.append(code)
    return sorted(codes)


def _days_clean(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SHIPPING_MAX_DAYS:
        raise ValidationError(MESSAGES["days"])
    return value


def shipping_method_clean(values: dict, *, method: ShippingMethod | None = None) -> dict:
    """A method's given terms, checked together and in their stored form (a lower-case code, sorted
    upper-case country codes, cents). Terms not given are taken from `method` for the rules that span
    several (days in order)."""
    cleaned, errors = {}, {}

    def check(name, clean):
        if name in values:
            try:
                cleaned[name] = clean(values[name])
            except ValidationError as exc:
                errors[name] = exc.messages

    def name_clean(value):
        name = str(value or "").strip()
        if not name or len(name) > SHIPPING_NAME_MAX_LENGTH:
            raise ValidationError(MESSAGES["name"])
        return name

    def price_clean(value):
        return money_clean(
            value, low=Decimal(0), high=MONEY_MAX, message=MESSAGES["price"], low_included=True
        )

    def free_over_clean(value):
        if value is None or value == "":
            return None
        return money_clean(
            value, low=Decimal(0), high=MONEY_MAX, message=MESSAGES["free_over"], low_included=True
        )

    def active_clean(value):
        if not isinstance(value, bool):
            raise ValidationError(MESSAGES["is_active"])
        return value

    check("code", _code_clean)
    if (
        "code" in cleaned
        and ShippingMethod.objects.exclude(pk=getattr(method, "pk", None))
        .filter(code=cleaned["code"])
        .exists()
    ):
        errors["code"] = [MESSAGES["code_taken"]]
    check("name", name_clean)
    check("countries", _countries_clean)
    check("base_price", price_clean)
    check("per_item_price", price_clean)
    check("free_over", free_over_clean)
    check("estimated_days_min", _days_clean)
    check("estimated_days_max", _days_clean)
    check("is_active", active_clean)
    low = cleaned.get("estimated_days_min", getattr(method, "estimated_days_min", None))
    high = cleaned.get("estimated_days_max", getattr(method, "estimated_days_max", None))
    if (
        not errors.keys() & {"estimated_days_min", "estimated_days_max"}
        and None not in (low, high)
        and low > high
    ):
        errors["estimated_days_max"] = [MESSAGES["days_order"]]
    if errors:
        raise ValidationError(errors)
    return cleaned


REQUIRED_TERMS = ("code", "name", "base_price", "estimated_days_min", "estimated_days_max")


def _save(method: ShippingMethod) -> ShippingMethod:
    try:
        with transaction.atomic():
            method.save()
    except IntegrityError as exc:  # a concurrent save took the code
        raise ValidationError({"code": [MESSAGES["code_taken"]]}) from exc
    return method


def shipping_method_create(**terms) -> ShippingMethod:
    """A new shipping method (the staff API, the admin)."""
    missing = {name: ["This field is required."] for name in REQUIRED_TERMS if name not in terms}
    if missing:
        raise ValidationError(missing)
    return _save(ShippingMethod(**shipping_method_clean(terms)))


def shipping_method_update(*, method: ShippingMethod, **terms) -> ShippingMethod:
    for name, value in shipping_method_clean(terms, method=method).items():
        setattr(method, name, value)
    return _save(method)


def shipping_method_delete(*, method: ShippingMethod) -> None:
    """Orders keep their own copy of the method, so deleting one never changes an order."""
    method.delete()


def shipping_methods_for_country(country: str) -> list[ShippingMethod]:
    """The active methods that ship to the country (those listing it, and those shipping everywhere)."""
    code = (country or "").strip().upper()
    return [
        method
        for method in ShippingMethod.objects.filter(is_active=True)
        if not method.countries or code in {c.code for c in method.countries}
    ]


def shipping_method_for_destination(*, code: str, country: str) -> ShippingMethod:
    """The active method with this code, if it ships to the country; otherwise `shipping_unavailable`."""
    method = next(
        (m for m in shipping_methods_for_country(country) if m.code == (code or "").strip().lower()), None
    )
    if method is None:
        raise ShippingUnavailable(
            f"The shipping method {code!r} does not ship to {country or 'this country'}."
        )
    return method


def shipping_terms(method: ShippingMethod) -> ShippingTerms:
    return ShippingTerms(
        base_price=method.base_price, per_item_price=method.per_item_price, free_over=method.free_over
    )


def shipping_method_snapshot(method: ShippingMethod) -> dict:
    """The method as an order keeps it and as quotes and `/api/shipping-methods/` show it."""
    return {
        "code": method.code,
        "name": method.name,
        "price": str(method.base_price),
        "per_item_price": str(method.per_item_price),
        "free_over": None if method.free_over is None else str(method.free_over),
        "estimated_days_min": method.estimated_days_min,
        "estimated_days_max": method.estimated_days_max,
    }

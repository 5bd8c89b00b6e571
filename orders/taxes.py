"""Tax rates: what makes one valid, writing them, and the rates that apply at a destination.

`tax_rate_clean` is the one set of rules and messages for a rate (staff API, admin, services). The
country and region are written the way `accounts.addresses` writes an address's (a US state as its
code), so a rate and an address name the same place the same way.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.addresses import country_region_normalize
from catalog.models import TaxClass

from .models import TaxRate
from .pricing import resolve_rates

TERMS = ("country", "region", "tax_class", "rate")
MESSAGES = {
    "tax_class": "Choose a tax class: " + ", ".join(TaxClass.values) + ".",
    "rate": 'Enter a rate from 0 to 1 with at most four decimal places ("0.0700" is 7 %).',
    "taken": "A rate for this country, region and tax class already exists.",
}


def _rate_clean(value) -> Decimal:
    try:
        rate = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(MESSAGES["rate"]) from None
    if not rate.is_finite() or not 0 <= rate <= 1 or rate != rate.quantize(Decimal("0.0001")):
        raise ValidationError(MESSAGES["rate"])
    return rate.quantize(Decimal("0.0001"))


def tax_rate_clean(values: dict, *, tax_rate: TaxRate | None = None) -> dict:
    """A rate's terms, checked together in their stored form; missing ones are taken from `tax_rate`."""
    current = {name: getattr(tax_rate, name) for name in TERMS} if tax_rate else {}
    if tax_rate:
        current["country"] = tax_rate.country.code
    merged = {"region": "", **current, **values}
    cleaned, errors = {}, {}
    try:
        cleaned["country"], cleaned["region"] = country_region_normalize(
            merged.get("country"), merged["region"]
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if merged.get("tax_class") not in TaxClass.values:
        errors["tax_class"] = [MESSAGES["tax_class"]]
    else:
        cleaned["tax_class"] = merged["tax_class"]
    try:
        cleaned["rate"] = _rate_clean(merged.get("rate"))
    except ValidationError as exc:
        errors["rate"] = exc.messages
    if not errors and (
        TaxRate.objects.exclude(pk=getattr(tax_rate, "pk", None))
        .filter(country=cleaned["country"], region=cleaned["region"], tax_class=cleaned["tax_class"])
        .exists()
    ):
        errors["non_field_errors"] = [MESSAGES["taken"]]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save(tax_rate: TaxRate) -> TaxRate:
    try:
        with transaction.atomic():
            tax_rate.save()
    except IntegrityError as exc:  # a concurrent save took the place
        raise ValidationError({"non_field_errors": [MESSAGES["taken"]]}) from exc
    return tax_rate


def tax_rate_create(**terms) -> TaxRate:
    return _save(TaxRate(**tax_rate_clean(terms)))


def tax_rate_update(*, tax_rate: TaxRate, **terms) -> TaxRate:
    for name, value in tax_rate_clean(terms, tax_rate=tax_rate).items():
        setattr(tax_rate, name, value)
    return _save(tax_rate)


def tax_rate_delete(*, tax_rate: TaxRate) -> None:
    """Orders keep the rates they were placed with, so deleting one never changes an order."""
    tax_rate.delete()


def tax_rates_for_destination(*, country: str, region: str = "") -> dict[str, Decimal]:
    """The rate of every tax class at the destination (a region's rate replaces its country's; none: 0)."""
    rows = TaxRate.objects.filter(country=country).values("country", "region", "tax_class", "rate")
    return resolve_rates(rows, country=country, region=region)

"""Coupons: what makes one valid, writing them, and whether one can be used at checkout.

`coupon_clean` is the one set of rules and messages for a coupon's terms: the staff API's serializer,
the admin's form and the services below all use it, so each door refuses the same coupon in the same
words. The limits are defined here once.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.limits import MONEY_MAX
from core.money import money_clean

from .exceptions import CouponInUse, InvalidCoupon
from .models import COUPON_CODE_MAX_LENGTH, Coupon
from .pricing import CouponTerms

COUPON_MAX_AMOUNT = MONEY_MAX
COUPON_MAX_USES = 2_000_000_000  # a PositiveIntegerField holds at least this on every database
TERMS = (
    "code",
    "percent_off",
    "amount_off",
    "valid_from",
    "valid_until",
    "max_uses",
    "min_subtotal",
    "is_active",
)

MESSAGES = {
    "code": "Enter a code.",
    "code_too_long": f"At most {COUPON_CODE_MAX_LENGTH} characters (in upper case).",
    "code_taken": "A coupon with this code already exists.",
    "one_kind": "Give exactly one of percent_off and amount_off.",
    "percent": "Enter a percentage above 0 and at most 100, with at most two decimal places.",
    "amount": f"Enter an amount above 0 and at most {COUPON_MAX_AMOUNT}, with at most two decimal places.",
    "min_subtotal": f"Enter an amount from 0 to {COUPON_MAX_AMOUNT}, with at most two decimal places.",
    "window": "Must be after valid_from.",
    "max_uses": f"Enter a whole number of uses from 1 to {COUPON_MAX_USES}, or nothing for unlimited.",
}


def coupon_normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def coupon_clean(values: dict, *, coupon: Coupon | None = None) -> dict:
    """A coupon's terms, checked together and in their stored form (an upper-case code, cents).

    `values` may hold only some terms (a partial update): the others are taken from `coupon` for the
    rules that span several (exactly one kind of discount, a window that is not empty, no fewer uses
    than already made)."""
    current = {name: getattr(coupon, name) for name in TERMS} if coupon else {}
    merged = {**current, **values}
    cleaned, errors = {}, {}

    def fail(name, message):
        errors.setdefault(name, []).append(message)

    if "code" in values:
        code = coupon_normalize_code(values["code"])
        if not code:
            fail("code", MESSAGES["code"])
        elif len(code) > COUPON_CODE_MAX_LENGTH:  # upper-casing can lengthen it: "ß" becomes "SS"
            fail("code", MESSAGES["code_too_long"])
        elif Coupon.objects.exclude(pk=getattr(coupon, "pk", None)).filter(code=code).exists():
            fail("code", MESSAGES["code_taken"])
        cleaned["code"] = code
    percent, amount = merged.get("percent_off"), merged.get("amount_off")
    if (percent is None) == (amount is None):
        fail("percent_off", MESSAGES["one_kind"])
    if "percent_off" in values and percent is not None:
        try:
            cleaned["percent_off"] = money_clean(
                percent, low=Decimal(0), high=Decimal(100), message=MESSAGES["percent"]
            )
        except ValidationError as exc:
            fail("percent_off", exc.messages[0])
    if "amount_off" in values and amount is not None:
        try:
            cleaned["amount_off"] = money_clean(
                amount, low=Decimal(0), high=COUPON_MAX_AMOUNT, message=MESSAGES["amount"]
            )
        except ValidationError as exc:
            fail("amount_off", exc.messages[0])
    for name in ("percent_off", "amount_off"):
        if name in values and values[name] is None:
            cleaned[name] = None
    if "min_subtotal" in values:
        try:
            cleaned["min_subtotal"] = money_clean(
                values["min_subtotal"],
                low=Decimal(0),
                high=COUPON_MAX_AMOUNT,
                message=MESSAGES["min_subtotal"],
                low_included=True,
            )
        except ValidationError as exc:
            fail("min_subtotal", exc.messages[0])
    valid_from, valid_until = merged.get("valid_from"), merged.get("valid_until")
    if valid_from and valid_until and valid_from >= valid_until:
        fail("valid_until", MESSAGES["window"])
    if "max_uses" in values and values["max_uses"] is not None:
        max_uses = values["max_uses"]
        if (
            isinstance(max_uses, bool)
            or not isinstance(max_uses, int)
            or not 1 <= max_uses <= COUPON_MAX_USES
        ):
            fail("max_uses", MESSAGES["max_uses"])
    used_count = getattr(coupon, "used_count", 0)
    max_uses = merged.get("max_uses")
    if "max_uses" not in errors and isinstance(max_uses, int) and max_uses < used_count:
        fail("max_uses", f"Already used {used_count} times.")
    if errors:
        raise ValidationError(errors)
    passthrough = {"valid_from", "valid_until", "max_uses", "is_active"}
    return {**{name: values[name] for name in passthrough & set(values)}, **cleaned}


def _save(coupon: Coupon) -> Coupon:
    try:
        with transaction.atomic():
            coupon.save()
    except IntegrityError as exc:  # a concurrent save took the code
        raise ValidationError({"code": [MESSAGES["code_taken"]]}) from exc
    return coupon


def coupon_create(**terms) -> Coupon:
    """A new coupon (the staff API, the admin)."""
    return _save(Coupon(**coupon_clean(terms)))


def coupon_update(*, coupon: Coupon, **terms) -> Coupon:
    """Change the given terms of a coupon; `used_count` is the checkouts' alone."""
    for name, value in coupon_clean(terms, coupon=coupon).items():
        setattr(coupon, name, value)
    return _save(coupon)


def coupon_delete(*, coupon: Coupon) -> None:
    """Delete a coupon no order used; a used one is refused (409) and can be deactivated instead."""
    if coupon.orders.exists():
        raise CouponInUse()
    coupon.delete()


def coupon_for_checkout(*, code: str, subtotal: Decimal, lock: bool) -> Coupon:
    """The usable coupon for this code. Placing an order row-locks it (`lock`), so a limited coupon
    cannot be used twice at once; a quote only reads it."""
    coupons = Coupon.objects.select_for_update() if lock else Coupon.objects.all()
    coupon = coupons.filter(code=coupon_normalize_code(code)).first()
    now = timezone.now()
    if coupon is None or not coupon.is_active:
        raise InvalidCoupon("This coupon code is not valid.")
    if coupon.valid_from and now < coupon.valid_from:
        raise InvalidCoupon("This coupon is not valid yet.")
    if coupon.valid_until and now > coupon.valid_until:
        raise InvalidCoupon("This coupon has expired.")
    if coupon.max_uses is not None and coupon.used_count >= coupon.max_uses:
        raise InvalidCoupon("This coupon has been used up.")
    if subtotal < coupon.min_subtotal:
        raise InvalidCoupon(f"This coupon needs a subtotal of at least {coupon.min_subtotal}.")
    return coupon


def coupon_terms(coupon: Coupon) -> CouponTerms:
    """The coupon's discount rule as `orders.pricing` computes it."""
    return CouponTerms(percent_off=coupon.percent_off, amount_off=coupon.amount_off)

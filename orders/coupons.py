"""Coupon checks and discount arithmetic (exact Decimal, never more than the subtotal).

The rules for a coupon's own terms live here too, so the staff API and the Django admin refuse the same
coupons.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from .exceptions import CouponInUse, InvalidCoupon
from .models import Coupon

CENT = Decimal("0.01")


def coupon_normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def coupon_code_validate(*, code: str, coupon_id: int | None = None) -> str:
    """The normalised code, if no other coupon has it (in any letter case)."""
    code = coupon_normalize_code(code)
    if not code:
        raise ValidationError("Enter a code.")
    max_length = Coupon._meta.get_field("code").max_length
    if len(code) > max_length:  # upper-casing can lengthen it: "ß" becomes "SS"
        raise ValidationError(f"At most {max_length} characters (in upper case).")
    if Coupon.objects.exclude(pk=coupon_id).filter(code=code).exists():
        raise ValidationError("A coupon with this code already exists.")
    return code


def coupon_terms_validate(
    *,
    percent_off: Decimal | None,
    amount_off: Decimal | None,
    valid_from: datetime | None,
    valid_until: datetime | None,
    max_uses: int | None,
    used_count: int = 0,
) -> None:
    """Exactly one kind of discount, a validity window that is not empty, no fewer uses than made."""
    if (percent_off is None) == (amount_off is None):
        raise ValidationError({"percent_off": ["Give exactly one of percent_off and amount_off."]})
    if valid_from and valid_until and valid_from >= valid_until:
        raise ValidationError({"valid_until": ["Must be after valid_from."]})
    if max_uses is not None and max_uses < used_count:
        raise ValidationError({"max_uses": [f"Already used {used_count} times."]})


def coupon_discount(*, coupon: Coupon, subtotal: Decimal) -> Decimal:
    if coupon.percent_off is not None:
        discount = (subtotal * coupon.percent_off / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        discount = coupon.amount_off
    return min(discount, subtotal)


def coupon_lock_for_checkout(*, code: str, subtotal: Decimal) -> Coupon:
    """The usable coupon for this code, row-locked so a limited coupon cannot be used twice at once."""
    coupon = Coupon.objects.select_for_update().filter(code=coupon_normalize_code(code)).first()
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


def coupon_delete(*, coupon: Coupon) -> None:
    """Delete a coupon no order used; a used one is refused (409) and can be deactivated instead."""
    if coupon.orders.exists():
        raise CouponInUse()
    coupon.delete()

"""Coupon checks and discount arithmetic (exact Decimal, never more than the subtotal)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .exceptions import InvalidCoupon
from .models import Coupon

CENT = Decimal("0.01")


def coupon_normalize_code(code: str) -> str:
    return (code or "").strip().upper()


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

from core.errors import BusinessError, InvalidTransition


class CartEmpty(BusinessError):
    status_code = 400
    code = "cart_empty"
    default_detail = "Your cart is empty."


class InvalidCoupon(BusinessError):
    status_code = 400
    code = "invalid_coupon"
    default_detail = "This coupon cannot be used."
    field = "coupon_code"


class OrderTooLarge(BusinessError):
    status_code = 400
    code = "order_too_large"
    default_detail = "This order is worth more than one order can hold; please split it."


class CouponInUse(BusinessError):
    code = "in_use"
    default_detail = "Orders used this coupon, so it stays for their history: deactivate it instead."


class OrderNotPayable(BusinessError):
    code = "order_not_payable"
    default_detail = "This order cannot be paid in its current state."


__all__ = [
    "CartEmpty",
    "CouponInUse",
    "InvalidCoupon",
    "InvalidTransition",
    "OrderNotPayable",
    "OrderTooLarge",
]

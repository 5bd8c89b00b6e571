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


class ShippingUnavailable(BusinessError):
    status_code = 400
    code = "shipping_unavailable"
    default_detail = "This shipping method does not ship to this address."
    field = "shipping_method"


class OrderNotRefundable(BusinessError):
    code = "order_not_refundable"
    default_detail = "Only a paid, shipped or delivered order can be refunded."


class RefundExceedsPaid(BusinessError):
    code = "refund_exceeds_paid"
    default_detail = "This refund is more than was paid and not yet refunded."


class ReturnWindowClosed(BusinessError):
    code = "return_window_closed"
    default_detail = "The time to return books from this order has passed."


__all__ = [
    "CartEmpty",
    "CouponInUse",
    "InvalidCoupon",
    "InvalidTransition",
    "OrderNotPayable",
    "OrderNotRefundable",
    "OrderTooLarge",
    "RefundExceedsPaid",
    "ReturnWindowClosed",
    "ShippingUnavailable",
]

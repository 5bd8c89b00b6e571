from bookstore.errors import BusinessError, InvalidTransition


class CartEmpty(BusinessError):
    status_code = 400
    code = "cart_empty"
    default_detail = "Your cart is empty."


class InvalidCoupon(BusinessError):
    status_code = 400
    code = "invalid_coupon"
    default_detail = "This coupon cannot be used."


class OrderNotPayable(BusinessError):
    code = "order_not_payable"
    default_detail = "This order cannot be paid in its current state."


__all__ = ["CartEmpty", "InvalidCoupon", "InvalidTransition", "OrderNotPayable"]

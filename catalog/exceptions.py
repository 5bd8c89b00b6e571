from bookstore.errors import BusinessError


class InsufficientStock(BusinessError):
    code = "insufficient_stock"
    default_detail = "Not enough copies in stock."

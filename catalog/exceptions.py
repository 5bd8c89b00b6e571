from core.errors import BusinessError


class InsufficientStock(BusinessError):
    code = "insufficient_stock"
    default_detail = "Not enough copies in stock."

    @staticmethod
    def shortage(book, requested: int) -> dict:
        """One book's entry in the answer's `books` list (a removed book has no copies on sale)."""
        available = book.stock if book.is_active else 0
        return {"id": book.pk, "title": book.title, "requested": requested, "available": available}


class NotPurchased(BusinessError):
    status_code = 403
    code = "not_purchased"
    default_detail = "Only customers who bought this book (a paid order) can review it."


class NotReviewOwner(BusinessError):
    """Someone else's review: visible to all, so forbidden (403) rather than hidden (404)."""

    status_code = 403
    code = "permission_denied"
    default_detail = "You can only change your own review."


class InStock(BusinessError):
    code = "in_stock"
    default_detail = "This title is in stock: add it to your cart instead of pre-booking it."

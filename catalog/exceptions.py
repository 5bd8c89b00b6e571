from core.errors import BusinessError


class InsufficientStock(BusinessError):
    code = "insufficient_stock"
    default_detail = "Not enough copies in stock."

    @staticmethod
    def shortage(book, requested: int) -> dict:
        """One book's entry in the answer's `books` list (a removed book has no copies on sale)."""
        available = book.stock if book.is_active else 0
        return {"id": book.pk, "title": book.title, "requested": requested, "available": available}


class InStock(BusinessError):
    code = "in_stock"
    default_detail = "This title is in stock: add it to your cart instead of pre-booking it."

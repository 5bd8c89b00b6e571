"""Orders placed the way a customer places them, for tests: cart, checkout, stock ledger and all."""

from cart.services import cart_add_book
from orders.models import Order

from .services import order_place


def order_placed(*, user, lines: list[tuple], coupon_code: str | None = None, **checkout) -> Order:
    """Fill the user's cart with `(book, quantity)` lines and check it out through the real services."""
    for book, quantity in lines:
        cart_add_book(user=user, book_id=book.pk, quantity=quantity)
    return order_place(user=user, coupon_code=coupon_code, **checkout)

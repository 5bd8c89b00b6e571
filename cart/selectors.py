"""The cart as every front door shows it: lines with their books, totals from current prices."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from core.compiled_query import CompiledQuery

from .models import Cart, CartItem


@dataclass(frozen=True)
class CartLine:
    item: CartItem
    line_total: Decimal

    @property
    def available(self) -> int:
        """Copies that could be bought now (a removed book has none)."""
        return self.item.book.stock if self.item.book.is_active else 0

    @property
    def line_id(self) -> int:
        """How the cart page's forms name this line: the item's id, or for an anonymous session cart
        (whose lines are not rows) the book's id."""
        return self.item.pk if self.item.pk is not None else self.item.book_id


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]
    item_count: int
    total: Decimal


def cart_view_of(items: Iterable[CartItem]) -> CartView:
    """Lines and totals for cart items, saved ones (an account's cart) or not (a session's cart)."""
    lines = [CartLine(item=item, line_total=item.book.price * item.quantity) for item in items]
    return CartView(
        lines=lines,
        item_count=sum(line.item.quantity for line in lines),
        total=sum((line.line_total for line in lines), Decimal("0.00")),
    )


def cart_view(*, user) -> CartView:
    items = CartItem.objects.filter(cart__user=user).select_related("book").order_by("added_at", "id")
    return cart_view_of(items)


# The page header shows it on every page: one query, compiled once (core/compiled_query.py). A user has
# one cart, so one row (none without a cart; NULL for an empty one).
_CART_ITEM_COUNT = CompiledQuery(
    lambda user_id: Cart.objects.filter(user_id=user_id).order_by().values_list(Sum("items__quantity"))
)


def cart_item_count(*, user) -> int:
    """Copies in the user's cart."""
    row = _CART_ITEM_COUNT.first(user_id=user.pk)
    return int(row[0] or 0) if row else 0

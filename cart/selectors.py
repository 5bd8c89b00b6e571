"""The cart as every front door shows it: lines with their books, totals from current prices."""

from dataclasses import dataclass
from decimal import Decimal

from .models import CartItem


@dataclass(frozen=True)
class CartLine:
    item: CartItem
    line_total: Decimal

    @property
    def available(self) -> int:
        """Copies that could be bought now (a removed book has none)."""
        return self.item.book.stock if self.item.book.is_active else 0


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]
    item_count: int
    total: Decimal


def cart_view(*, user) -> CartView:
    items = CartItem.objects.filter(cart__user=user).select_related("book").order_by("added_at", "id")
    lines = [CartLine(item=item, line_total=item.book.price * item.quantity) for item in items]
    return CartView(
        lines=lines,
        item_count=sum(line.item.quantity for line in lines),
        total=sum((line.line_total for line in lines), Decimal("0.00")),
    )

"""The order life cycle in one table: which status may follow which, and who may make the move."""

from .models import OrderStatus

S = OrderStatus

# Every move the system knows. pending → paid is made only by a confirmed payment, → refunded only by
# the refund that pays back the last of an order (checkout.services.order_refund).
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.CANCELLED},
    S.PAID: {S.SHIPPED, S.CANCELLED, S.REFUNDED},
    S.SHIPPED: {S.DELIVERED, S.REFUNDED},
    S.DELIVERED: {S.REFUNDED},
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}

# What staff may do by hand (admin and /api/admin/orders/): everything but taking or refunding a payment
# (a refund is its own action, with its amount).
STAFF_TRANSITIONS: dict[str, set[str]] = {
    source: targets - {S.PAID, S.REFUNDED} for source, targets in TRANSITIONS.items()
}

# Statuses whose stock is held by the order (returned when it is cancelled).
STOCK_HOLDING = {S.PENDING, S.PAID}


def can_transition(source: str, target: str, *, by_staff: bool = False) -> bool:
    table = STAFF_TRANSITIONS if by_staff else TRANSITIONS
    return target in table.get(source, set())

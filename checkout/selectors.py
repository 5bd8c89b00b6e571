"""Order reads as the order pages, the order API and the admin show them: with their payments and
refunds."""

from django.db.models import QuerySet

from core.errors import NotFound
from orders import selectors as orders_selectors
from orders.models import Order
from payments.selectors import order_payments_prefetch, order_refunds_prefetch


def order_queryset() -> QuerySet:
    """Orders as the customer and staff see them: lines, history, shipments, payments and refunds."""
    return orders_selectors.order_queryset().prefetch_related(
        order_payments_prefetch(), order_refunds_prefetch()
    )


def order_list_for_user(*, user) -> QuerySet:
    return order_queryset().filter(user=user).order_by("-created_at", "-id")


def order_get_for_user(*, user, order_id: int) -> Order:
    """The user's own order; someone else's is reported missing, never forbidden."""
    order = order_queryset().filter(user=user, pk=order_id).first()
    if order is None:
        raise NotFound("No such order.")
    return order


def order_get_for_actor(*, actor, order_id: int) -> Order:
    """Staff see every order; anyone else only their own."""
    if not actor.is_staff:
        return order_get_for_user(user=actor, order_id=order_id)
    order = order_queryset().filter(pk=order_id).first()
    if order is None:
        raise NotFound("No such order.")
    return order

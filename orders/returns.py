"""Return requests: a customer asks to send back books of a delivered order within RETURN_WINDOW_DAYS of
delivery; staff answer with a refund (`checkout.services.order_refund` with the request, which marks it
refunded through `return_request_mark_refunded`) or reject it with a reason. Each step mails the
customer once.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from core.db import with_lock_retry
from core.errors import InvalidTransition, NotFound
from notifications.services import email_notify

from .exceptions import ReturnWindowClosed
from .models import Order, OrderItem, OrderStatus, ReturnLine, ReturnRequest, ReturnStatus
from .services import order_lines_clean

REASON_MAX_LENGTH = 500


def return_reason_clean(reason, *, field: str = "reason") -> str:
    text = " ".join(str(reason or "").split())
    if not text or len(text) > REASON_MAX_LENGTH:
        raise ValidationError({field: [f"Say why, in at most {REASON_MAX_LENGTH} characters."]})
    return text


def return_window_closes_at(order: Order):
    return order.delivered_at + timedelta(days=settings.RETURN_WINDOW_DAYS) if order.delivered_at else None


def returnable_quantity(item: OrderItem) -> int:
    """Copies of the line neither refunded nor already asked back in an open request."""
    requested = (
        ReturnLine.objects.filter(order_item=item, return_request__status=ReturnStatus.REQUESTED).aggregate(
            total=Sum("quantity")
        )["total"]
        or 0
    )
    return item.quantity - item.refunded_quantity - requested


def return_request_create(*, order_id: int, lines, reason: str) -> ReturnRequest:
    """Ask to return copies of a delivered order (the caller has checked it is the customer's own)."""
    reason = return_reason_clean(reason)

    def run():
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            if order.status != OrderStatus.DELIVERED:
                raise InvalidTransition(
                    f"Only a delivered order can be returned; order {order.pk} is {order.status}."
                )
            closes_at = return_window_closes_at(order)
            if closes_at is None or timezone.now() > closes_at:
                raise ReturnWindowClosed(
                    f"Books can be returned within {settings.RETURN_WINDOW_DAYS} days of delivery; "
                    f"that time has passed for order {order.pk}."
                )
            chosen = order_lines_clean(order=order, lines=lines)
            too_many = [
                f"Only {returnable_quantity(item)} of “{item.title}” can be returned."
                for item, quantity in chosen
                if quantity > returnable_quantity(item)
            ]
            if too_many:
                raise ValidationError({"lines": too_many})
            request = ReturnRequest.objects.create(order=order, reason=reason)
            ReturnLine.objects.bulk_create(
                ReturnLine(return_request=request, order_item=item, quantity=quantity)
                for item, quantity in chosen
            )
            email_notify(
                key=f"return:{request.pk}:received",
                template="orders/email/return_received",
                to=order.user.email,
                context={"order": order, "user": order.user, "return_request": request},
            )
            return request

    return with_lock_retry(run, label=f"return request for order {order_id}")


def _answerable(request: ReturnRequest) -> None:
    if request.status != ReturnStatus.REQUESTED:
        raise InvalidTransition(f"Return request {request.pk} was already answered ({request.status}).")


def return_request_reject(*, return_id: int, reason: str, actor=None) -> ReturnRequest:
    """Staff refuse a return, with the reason the customer reads."""
    reason = return_reason_clean(reason)

    def run():
        with transaction.atomic():
            order_id = ReturnRequest.objects.values_list("order_id", flat=True).filter(pk=return_id).first()
            if order_id is None:
                raise NotFound("No such return request.")
            order = Order.objects.select_for_update().get(pk=order_id)  # order first, as every order change
            request = ReturnRequest.objects.select_for_update().get(pk=return_id)
            _answerable(request)
            request.status, request.answer = ReturnStatus.REJECTED, reason
            request.answered_by, request.answered_at = actor, timezone.now()
            request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
            email_notify(
                key=f"return:{request.pk}:answered",
                template="orders/email/return_answered",
                to=order.user.email,
                context={"order": order, "user": order.user, "return_request": request, "refund": None},
            )
            return request

    return with_lock_retry(run, label=f"rejection of return {return_id}")


def return_request_lock_for_refund(*, order: Order, return_id: int) -> ReturnRequest:
    """Inside the refund's transaction, with the order locked: the open request of this order."""
    request = ReturnRequest.objects.select_for_update().filter(pk=return_id, order=order).first()
    if request is None:
        raise ValidationError({"return_id": [f"Order {order.pk} has no return request {return_id}."]})
    _answerable(request)
    return request


def return_request_mark_refunded(*, request: ReturnRequest, actor=None) -> None:
    request.status = ReturnStatus.REFUNDED
    request.answered_by, request.answered_at = actor, timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])


def returns_for_order(*, order_id: int) -> QuerySet:
    return (
        ReturnRequest.objects.filter(order_id=order_id).prefetch_related("lines__order_item").order_by("id")
    )


def returns_for_staff(*, status: str | None = None) -> QuerySet:
    requests = ReturnRequest.objects.select_related("order", "order__user").prefetch_related(
        "lines__order_item"
    )
    return requests.filter(status=status) if status else requests

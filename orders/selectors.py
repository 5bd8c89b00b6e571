"""Order reads: a customer's own orders, the staff views and the sales reports."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from catalog.selectors import book_queryset
from core.errors import NotFound

from .models import SOLD_STATUSES, Order, OrderItem


def order_queryset() -> QuerySet:
    """Orders with their customer, coupon and lines (the checkout layer adds their payments)."""
    return Order.objects.select_related("user", "coupon").prefetch_related("items")


def book_purchased_by(*, user, book_id: int) -> bool:
    """Whether the user has a paid (or later) order containing this book."""
    return OrderItem.objects.filter(
        order__user=user, order__status__in=SOLD_STATUSES, book_id=book_id
    ).exists()


def _day_bounds(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    start = timezone.make_aware(datetime.combine(date_from, time.min)) if date_from else None
    # The range ends where the day after `to` begins; the calendar's last day has no day after it.
    end = None
    if date_to and date_to < date.max:
        end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    return start, end


def sales_report(*, date_from: date | None = None, date_to: date | None = None, top: int = 10) -> dict:
    """Orders, revenue and units over paid-or-later orders placed between the two days (inclusive).

    Top books are one row per book, named by its catalog title: the lines' snapshot titles may differ
    from order to order once the title has been edited.
    """
    start, end = _day_bounds(date_from, date_to)
    orders = Order.objects.filter(status__in=SOLD_STATUSES)
    if start:
        orders = orders.filter(created_at__gte=start)
    if end:
        orders = orders.filter(created_at__lt=end)
    totals = orders.aggregate(orders=Count("id"), revenue=Sum("total"))
    items = OrderItem.objects.filter(order__in=orders)
    top_books = [
        {
            "book_id": row["book_id"],
            "title": row["book__title"],
            "quantity": row["quantity"],
            "revenue": row["revenue"],
        }
        for row in items.values("book_id", "book__title")
        .annotate(quantity=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-quantity", "book_id")[:top]
    ]
    return {
        "orders": totals["orders"],
        "revenue": totals["revenue"] or 0,
        "items_sold": items.aggregate(units=Sum("quantity"))["units"] or 0,
        "top_books": top_books,
    }


def low_stock_books(*, threshold: int) -> QuerySet:
    return book_queryset().filter(stock__lte=threshold).order_by("stock", "title", "id")


def order_status_for_user(*, user, order_id: int) -> str:
    """Only the status of the user's own order, in one small query: the order page polls it."""
    status = Order.objects.filter(user=user, pk=order_id).values_list("status", flat=True).first()
    if status is None:
        raise NotFound("No such order.")
    return status


def order_last_shipping_address(*, user) -> str:
    """The address of the user's latest order that had one, to suggest at the next checkout."""
    orders = Order.objects.filter(user=user).exclude(shipping_address="").order_by("-created_at", "-id")
    return orders.values_list("shipping_address", flat=True).first() or ""


def sold_orders_since(since: datetime) -> QuerySet:
    """Paid-or-later orders paid since then (placed since then, for an order without a payment time)."""
    return Order.objects.filter(status__in=SOLD_STATUSES).filter(
        Q(paid_at__gte=since) | Q(paid_at__isnull=True, created_at__gte=since)
    )


def book_units_sold(*, since: datetime) -> dict[int, int]:
    """Copies of each book in paid-or-later orders paid since then: one aggregate query."""
    rows = (
        OrderItem.objects.filter(order__in=sold_orders_since(since))
        .values("book_id")
        .annotate(units=Sum("quantity"))
        .values_list("book_id", "units")
    )
    return dict(rows.order_by())


def book_co_purchases(*, since: datetime) -> Iterator[tuple[int, int, int]]:
    """(book, other book, in how many orders both were) over paid-or-later orders paid since then, each
    book's pairs most frequent first: one aggregate query over the order lines joined to themselves,
    streamed."""
    return (
        OrderItem.objects.filter(order__in=sold_orders_since(since))
        .exclude(book_id=F("order__items__book_id"))
        .values_list("book_id", "order__items__book_id")
        .annotate(score=Count("order_id", distinct=True))
        .order_by("book_id", "-score", "order__items__book_id")
        .iterator(chunk_size=5000)
    )

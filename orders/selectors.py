"""Order reads: a customer's own orders, the staff views and the sales reports."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.utils import timezone

from catalog.selectors import book_queryset
from core.errors import NotFound

from .models import SOLD_STATUSES, Order, OrderItem


def order_queryset() -> QuerySet:
    """Orders with their customer, coupon, lines, history and shipments (the checkout layer adds their
    payments and refunds)."""
    return Order.objects.select_related("user", "coupon").prefetch_related(
        "items", "status_changes", "shipments"
    )


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
    """Orders, revenue and copies over paid-or-later orders placed between the two days (inclusive),
    net of refunds: `revenue` is what the orders were paid less what was refunded of them (also of those
    now fully refunded), `items_sold` the copies less the copies refunded.

    Top books are one row per book, named by its catalog title: the lines' snapshot titles may differ
    from order to order once the title has been edited.
    """
    start, end = _day_bounds(date_from, date_to)
    orders = Order.objects.filter(status__in=SOLD_STATUSES)
    if start:
        orders = orders.filter(created_at__gte=start)
    if end:
        orders = orders.filter(created_at__lt=end)
    totals = orders.aggregate(orders=Count("id"), gross=Sum("total"), refunded=Sum("refunded_total"))
    items = OrderItem.objects.filter(order__in=orders)
    kept = F("quantity") - F("refunded_quantity")
    top_books = [
        {
            "book_id": row["book_id"],
            "title": row["book__title"],
            "quantity": row["copies"],
            "revenue": row["book_revenue"],
        }
        for row in items.values("book_id", "book__title")
        .annotate(copies=Sum(kept), book_revenue=Sum(kept * F("unit_price")))
        .filter(copies__gt=0)
        .order_by("-copies", "book_id")[:top]
    ]
    gross, refunded = totals["gross"] or Decimal("0.00"), totals["refunded"] or Decimal("0.00")
    return {
        "orders": totals["orders"],
        "revenue": gross - refunded,
        "gross_revenue": gross,
        "refunded": refunded,
        "items_sold": items.aggregate(units=Sum(kept))["units"] or 0,
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

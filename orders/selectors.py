"""Order reads: a customer's own orders, the staff views and the sales reports."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from core.dates import filter_days
from core.errors import NotFound

from .models import SOLD_STATUSES, Order, OrderItem


def order_queryset() -> QuerySet:
    """Orders with their customer, coupon, lines, history and shipments (the checkout layer adds their
    payments and refunds)."""
    return Order.objects.select_related("user", "coupon").prefetch_related(
        "items", "status_changes", "shipments"
    )


def book_purchases_by(*, user, book_id: int) -> QuerySet:
    """The user's lines of this book in paid (or later) orders: `Exists()` of it folds the check into
    another query."""
    return OrderItem.objects.filter(order__user=user, order__status__in=SOLD_STATUSES, book_id=book_id)


def book_purchased_by(*, user, book_id: int) -> bool:
    """Whether the user has a paid (or later) order containing this book."""
    return book_purchases_by(user=user, book_id=book_id).exists()


def sales_report(*, date_from: date | None = None, date_to: date | None = None, top: int = 10) -> dict:
    """Orders, revenue and copies over paid-or-later orders placed between the two days (inclusive),
    net of refunds: `revenue` is what the orders were paid less what was refunded of them (also of those
    now fully refunded), `items_sold` the copies less the copies refunded.

    Top books are one row per book, named by its catalog title: the lines' snapshot titles may differ
    from order to order once the title has been edited.
    """
    orders = sold_orders(date_from=date_from, date_to=date_to)
    totals = orders.aggregate(orders=Count("id"), gross=Sum("total"), refunded=Sum("refunded_total"))
    items = OrderItem.objects.filter(order__in=orders)
    gross, refunded = totals["gross"] or Decimal("0.00"), totals["refunded"] or Decimal("0.00")
    return {
        "orders": totals["orders"],
        "revenue": gross - refunded,
        "gross_revenue": gross,
        "refunded": refunded,
        "items_sold": items.aggregate(units=Sum(KEPT_COPIES))["units"] or 0,
        "top_books": top_books(orders=orders, limit=top),
    }


def sold_orders(*, date_from: date | None = None, date_to: date | None = None) -> QuerySet:
    """Paid-or-later orders placed between the two days (inclusive; None leaves that end open)."""
    return filter_days(Order.objects.filter(status__in=SOLD_STATUSES), "created_at", date_from, date_to)


# The copies of a line the customer kept: those refunded are no sale.
KEPT_COPIES = F("quantity") - F("refunded_quantity")


def top_books(*, orders: QuerySet, limit: int) -> list[dict]:
    """The best-selling books of `orders` by copies kept (net of refunds): `{book_id, title, quantity,
    revenue}`, one query."""
    rows = (
        OrderItem.objects.filter(order__in=orders)
        .values("book_id", "book__title")
        .annotate(copies=Sum(KEPT_COPIES), book_revenue=Sum(KEPT_COPIES * F("unit_price")))
        .filter(copies__gt=0)
        .order_by("-copies", "book_id")[:limit]
    )
    return [
        {
            "book_id": row["book_id"],
            "title": row["book__title"],
            "quantity": row["copies"],
            "revenue": row["book_revenue"],
        }
        for row in rows
    ]


def order_status_for_user(*, user, order_id: int) -> str:
    """Only the status of the user's own order, in one small query: the order page polls it."""
    status = Order.objects.filter(user=user, pk=order_id).values_list("status", flat=True).first()
    if status is None:
        raise NotFound("No such order.")
    return status


def order_ids_for_user(*, user, status: str) -> list[int]:
    return list(Order.objects.filter(user=user, status=status).order_by("pk").values_list("pk", flat=True))


def order_count_for_user(*, user, status: str) -> int:
    return Order.objects.filter(user=user, status=status).count()


def sold_orders_since(since: datetime) -> QuerySet:
    """Paid-or-later orders paid since then (placed since then, for an order without a payment time)."""
    return Order.objects.filter(status__in=SOLD_STATUSES).filter(
        Q(paid_at__gte=since) | Q(paid_at__isnull=True, created_at__gte=since)
    )


def book_units_sold(*, since: datetime) -> dict[int, int]:
    """Copies of each book kept in paid-or-later orders paid since then (refunded copies are no sale):
    one aggregate query."""
    rows = (
        OrderItem.objects.filter(order__in=sold_orders_since(since))
        .values("book_id")
        .annotate(units=Sum(KEPT_COPIES))
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

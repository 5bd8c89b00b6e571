"""Shopper insights as the dashboard and the insights report read them: from the daily
tables, which are at most INSIGHTS_PUSH_SECONDS behind the shop (insights/services.py). Books come as ids;
the layers above put titles on them."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum

from .models import DailyBookStats, DailySearchStats


@dataclass(frozen=True)
class Funnel:
    """Views → cart adds → orders over a period, and the rates between the steps."""

    views: int
    cart_adds: int
    orders: int

    @staticmethod
    def _rate(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def view_to_cart(self) -> Decimal | None:
        """Cart adds per 100 book page views."""
        return self._rate(self.cart_adds, self.views)

    @property
    def cart_to_order(self) -> Decimal | None:
        """Ordered lines per 100 cart adds."""
        return self._rate(self.orders, self.cart_adds)

    @property
    def view_to_order(self) -> Decimal | None:
        """Ordered lines per 100 book page views."""
        return self._rate(self.orders, self.views)


def _book_days(date_from: date, date_to: date) -> QuerySet:
    return DailyBookStats.objects.filter(day__gte=date_from, day__lte=date_to)


def _search_days(date_from: date, date_to: date) -> QuerySet:
    return DailySearchStats.objects.filter(day__gte=date_from, day__lte=date_to)


def insights_funnel(*, date_from: date, date_to: date) -> Funnel:
    totals = _book_days(date_from, date_to).aggregate(
        views=Sum("views"), cart_adds=Sum("cart_adds"), orders=Sum("orders")
    )
    return Funnel(**{name: value or 0 for name, value in totals.items()})


def insights_per_day(*, date_from: date, date_to: date) -> dict[date, Funnel]:
    """Each day that has counts, with its funnel."""
    rows = (
        _book_days(date_from, date_to)
        .values("day")
        .annotate(views=Sum("views"), cart_adds=Sum("cart_adds"), orders=Sum("orders"))
        .order_by("day")
    )
    return {row.pop("day"): Funnel(**row) for row in rows}


def insights_per_book(*, date_from: date, date_to: date, limit: int = 20) -> list[tuple[int, Funnel]]:
    """The most viewed books of the period, `(book_id, funnel)`."""
    rows = (
        _book_days(date_from, date_to)
        .values("book_id")
        .annotate(views=Sum("views"), cart_adds=Sum("cart_adds"), orders=Sum("orders"))
        .order_by("-views", "-orders", "book_id")[:limit]
    )
    return [(row.pop("book_id"), Funnel(**row)) for row in rows]


def top_searches(*, date_from: date, date_to: date, limit: int = 10) -> list[dict]:
    """The most frequent queries: `{query, searches, no_results, days}`."""
    return list(
        _search_days(date_from, date_to)
        .values("query")
        .annotate(searches=Sum("searches"), no_results=Sum("no_results"), days=Count("day"))
        .order_by("-searches", "query")[:limit]
    )


def searches_without_results(*, date_from: date, date_to: date, limit: int = 10) -> list[dict]:
    """The queries that most often found nothing (what the shop may be missing): `{query, no_results}`."""
    return list(
        _search_days(date_from, date_to)
        .filter(no_results__gt=0)
        .values("query")
        .annotate(no_results=Sum("no_results"))
        .order_by("-no_results", "query")[:limit]
    )

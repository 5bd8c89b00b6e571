"""The staff's sales and inventory reports (the admin's report pages, the dashboard and the staff API).

Sales count paid-or-later orders (SOLD_STATUSES), dated by when they were placed, as the sales report
of the API does. Inventory looks at the last VELOCITY_DAYS days of sales:

- sales velocity = copies sold in the last 30 days / 30 (copies per day);
- days of cover = stock / velocity (none when nothing sold: the stock lasts for ever at that pace);
- reorder suggestion = max(0, ⌈velocity × cover_days⌉ + low_stock_threshold − stock): enough copies to
  sell for `cover_days` more days (30 by default) at the current pace and still have the book's
  low-stock threshold on the shelf as a safety margin.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Ceil, Coalesce, Greatest, TruncDate
from django.utils import timezone

from catalog.models import Genre
from catalog.selectors import book_queryset, books_in_genres, genre_ids_under

from .models import SOLD_STATUSES, OrderItem
from .selectors import sold_orders

VELOCITY_DAYS = 30
DEFAULT_COVER_DAYS = 30
MAX_COVER_DAYS = 365
NO_GENRE = "No genre"


@dataclass(frozen=True)
class DaySales:
    day: date
    orders: int
    revenue: Decimal
    units: int


@dataclass(frozen=True)
class GenreSales:
    genre_id: int | None
    genre: str
    orders: int
    units: int
    revenue: Decimal


def sales_by_day(*, date_from: date, date_to: date) -> list[DaySales]:
    """Every day of the range, oldest first, with its orders, revenue (order totals, after discounts)
    and copies sold; a day without sales is there with zeros. Two queries."""
    orders = sold_orders(date_from=date_from, date_to=date_to)
    per_day = {
        row["day"]: row
        for row in orders.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(orders=Count("id"), revenue=Sum("total"))
        .order_by()
    }
    units = dict(
        OrderItem.objects.filter(order__in=orders)
        .annotate(day=TruncDate("order__created_at"))
        .values("day")
        .annotate(units=Sum("quantity"))
        .order_by()
        .values_list("day", "units")
    )
    return [
        DaySales(
            day=day,
            orders=per_day.get(day, {}).get("orders", 0),
            revenue=_cents(per_day.get(day, {}).get("revenue")),
            units=units.get(day, 0),
        )
        for day in days_between(date_from=date_from, date_to=date_to)
    ]


def _cents(amount: Decimal | None) -> Decimal:
    """A sum as money: SQLite's SUM of decimals drops trailing zeros ("20" for 20.00)."""
    return (amount or Decimal("0")).quantize(Decimal("0.01"))


def days_between(*, date_from: date, date_to: date) -> list[date]:
    """Every day from `date_from` to `date_to`, both included."""
    return [date_from + timedelta(days=offset) for offset in range((date_to - date_from).days + 1)]


def sales_by_genre(*, date_from: date, date_to: date) -> list[GenreSales]:
    """Each genre's orders, copies and revenue (its lines' totals, before order discounts, which belong
    to whole orders), best-selling first. A book's own genre counts, not the genres above it."""
    rows = (
        OrderItem.objects.filter(order__in=sold_orders(date_from=date_from, date_to=date_to))
        .values("book__genre_id", "book__genre__name")
        .annotate(orders=Count("order_id", distinct=True), units=Sum("quantity"), revenue=Sum("line_total"))
        .order_by("-revenue", "book__genre__name")
    )
    return [
        GenreSales(
            genre_id=row["book__genre_id"],
            genre=row["book__genre__name"] or NO_GENRE,
            orders=row["orders"],
            units=row["units"],
            revenue=_cents(row["revenue"]),
        )
        for row in rows
    ]


def inventory_queryset(
    *, cover_days: int = DEFAULT_COVER_DAYS, genre: Genre | None = None, needs_reorder: bool | None = None
) -> QuerySet:
    """Books in the catalog with `sold_30d`, `days_of_cover` (None without sales) and `reorder` (the
    suggestion) computed by the database, so the list can be sorted, filtered and paged by them.
    Most urgent first: the largest suggestion, then the fewest days of cover. `genre` includes its
    sub-genres; `needs_reorder` keeps the books with (True) or without (False) a suggestion."""
    since = timezone.now() - timedelta(days=VELOCITY_DAYS)
    sold = (
        OrderItem.objects.filter(
            book=OuterRef("pk"), order__status__in=SOLD_STATUSES, order__created_at__gte=since
        )
        .values("book")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    sold_float = Cast(F("sold_30d"), FloatField())
    books = book_queryset()
    if genre is not None:
        books = books_in_genres(books, genre_ids_under(genre_ids={genre.pk}))
    books = (
        books.annotate(sold_30d=Coalesce(Subquery(sold, output_field=IntegerField()), Value(0)))
        .annotate(
            days_of_cover=Case(
                When(sold_30d=0, then=Value(None, output_field=FloatField())),
                default=Cast(F("stock"), FloatField()) * VELOCITY_DAYS / sold_float,
                output_field=FloatField(),
            ),
            reorder=Cast(
                Greatest(
                    Ceil(sold_float * cover_days / VELOCITY_DAYS) + F("low_stock_threshold") - F("stock"),
                    Value(0.0),
                ),
                IntegerField(),
            ),
        )
        .order_by("-reorder", F("days_of_cover").asc(nulls_last=True), "title", "id")
    )
    if needs_reorder is not None:
        books = books.filter(reorder__gt=0) if needs_reorder else books.filter(reorder=0)
    return books


def velocity(sold_30d: int) -> Decimal:
    """Copies sold per day over the last VELOCITY_DAYS days."""
    return (Decimal(sold_30d) / VELOCITY_DAYS).quantize(Decimal("0.01"))


def days_of_cover(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 1)))


INVENTORY_CSV_HEADER = (
    "book_id",
    "isbn",
    "title",
    "author",
    "genre",
    "stock",
    "low_stock_threshold",
    "sold_30d",
    "copies_per_day",
    "days_of_cover",
    "reorder",
)


def inventory_csv_rows(queryset: QuerySet):
    """The books of `inventory_queryset` as CSV rows (INVENTORY_CSV_HEADER), read in chunks."""
    for book in queryset.iterator(chunk_size=2000):
        yield (
            book.pk,
            book.isbn,
            book.title,
            book.author,
            book.genre.name if book.genre else "",
            book.stock,
            book.low_stock_threshold,
            book.sold_30d,
            velocity(book.sold_30d),
            days_of_cover(book.days_of_cover),
            book.reorder,
        )

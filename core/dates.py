"""Days as staff pick them in reports and filters, turned into the instants a query compares with."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone


def day_bounds(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """The first instant of `date_from` and the first instant after `date_to` (None for an open end), in
    the shop's time zone: comparing a timestamp with these uses its index, unlike `__date` lookups."""
    start = timezone.make_aware(datetime.combine(date_from, time.min)) if date_from else None
    # The range ends where the day after `to` begins; the calendar's last day has no day after it.
    end = None
    if date_to and date_to < date.max:
        end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    return start, end


def filter_days(queryset: QuerySet, field: str, date_from: date | None, date_to: date | None) -> QuerySet:
    """Rows whose `field` falls on `date_from` … `date_to`, both days included."""
    start, end = day_bounds(date_from, date_to)
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset

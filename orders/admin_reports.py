"""The staff's report pages in the admin: sales by day and by genre, inventory (velocity, days of cover,
reorder suggestion) and shopper insights. Each reads the report selectors, offers its rows as CSV, and
is listed in REPORTS with the permissions it needs; the admin site (checkout.admin_site) gives each a
URL under /admin/reports/ and a link on the index."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.formats import date_format

from catalog.models import Book
from core.charts import Point, bar_chart
from core.csv_export import csv_response
from core.templatetags.shop import money
from insights import selectors as insights_selectors

from . import reports
from .forms import InventoryForm, ReportPeriodForm

INVENTORY_PER_PAGE = 50


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    description: str
    view: Callable
    permissions: tuple[str, ...]

    def allowed(self, user) -> bool:
        return user.has_perms(self.permissions)


def _page(request, report_slug: str, template: str, context: dict) -> TemplateResponse:
    report = REPORTS_BY_SLUG[report_slug]
    if not report.allowed(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "title": report.title, "report": report, **context},
    )


def _day_label(day) -> str:
    return date_format(day, "M d")


def revenue_chart(days: list[reports.DaySales], *, slug: str = "revenue-per-day"):
    """Revenue per day as a bar chart, with orders and copies in its table."""
    total = sum(day.revenue for day in days)
    best = max(days, key=lambda day: day.revenue, default=None)
    description = (
        f"Revenue per day from {days[0].day} to {days[-1].day}: {money(total)} in all" if days else ""
    )
    if best and best.revenue:
        description += f"; the best day was {best.day} with {money(best.revenue)}."
    return bar_chart(
        slug=slug,
        title="Revenue per day",
        description=description,
        label_heading="Day",
        value_heading="Revenue",
        extra_headings=("Orders", "Copies"),
        points=[
            Point(_day_label(day.day), day.revenue, money(day.revenue), (str(day.orders), str(day.units)))
            for day in days
        ],
        tick_format=lambda value: f"{value:,.0f}",
        label_every=max(len(days) // 6, 1),
    )


def sales_view(request):
    form = ReportPeriodForm.for_request(request)
    period = form.period()
    days = reports.sales_by_day(**period)
    genres = reports.sales_by_genre(**period)
    export = request.GET.get("export")
    if export == "day" and not form.errors:
        return csv_response(
            filename=f"sales-by-day-{period['date_from']}-{period['date_to']}.csv",
            header=("day", "orders", "revenue", "copies"),
            rows=((day.day.isoformat(), day.orders, day.revenue, day.units) for day in days),
        )
    if export == "genre" and not form.errors:
        return csv_response(
            filename=f"sales-by-genre-{period['date_from']}-{period['date_to']}.csv",
            header=("genre", "orders", "copies", "revenue"),
            rows=((genre.genre, genre.orders, genre.units, genre.revenue) for genre in genres),
        )
    orders = sum(day.orders for day in days)
    revenue = sum(day.revenue for day in days)
    genre_chart = bar_chart(
        slug="revenue-per-genre",
        title="Revenue per genre",
        description="; ".join(f"{genre.genre}: {money(genre.revenue)}" for genre in genres) or "No sales.",
        label_heading="Genre",
        value_heading="Revenue",
        extra_headings=("Orders", "Copies"),
        points=[
            Point(genre.genre, genre.revenue, money(genre.revenue), (str(genre.orders), str(genre.units)))
            for genre in genres
        ],
        horizontal=True,
        tick_format=lambda value: f"{value:,.0f}",
    )
    return _page(
        request,
        "sales",
        "admin/reports/sales.html",
        {
            "form": form,
            "period": period,
            "day_chart": revenue_chart(days),
            "genre_chart": genre_chart,
            "orders": orders,
            "revenue": revenue,
            "units": sum(day.units for day in days),
            "average_order_value": revenue / orders if orders else None,
            "query": request.GET.urlencode(),
        },
    )


def inventory_view(request):
    form = InventoryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {"cover_days": reports.DEFAULT_COVER_DAYS}
    books = reports.inventory_queryset(
        cover_days=filters["cover_days"],
        genre=filters.get("genre"),
        needs_reorder=True if filters.get("needs_reorder") else None,
    )
    if request.GET.get("format") == "csv" and not form.errors:
        return csv_response(
            filename="inventory.csv",
            header=reports.INVENTORY_CSV_HEADER,
            rows=reports.inventory_csv_rows(books),
        )
    page = Paginator(books, INVENTORY_PER_PAGE).get_page(request.GET.get("page"))
    for book in page.object_list:
        book.copies_per_day = reports.velocity(book.sold_30d)
        book.days_of_cover_shown = reports.days_of_cover(book.days_of_cover)
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "inventory",
        "admin/reports/inventory.html",
        {
            "form": form,
            "page_obj": page,
            "cover_days": filters["cover_days"],
            "velocity_days": reports.VELOCITY_DAYS,
            "query": query.urlencode(),
        },
    )


def insights_view(request):
    form = ReportPeriodForm.for_request(request)
    period = form.period()
    per_day = insights_selectors.insights_per_day(**period)
    per_book = insights_selectors.insights_per_book(**period, limit=20)
    titles = dict(
        Book.objects.filter(pk__in=[book_id for book_id, _funnel in per_book]).values_list("pk", "title")
    )
    days = reports.days_between(**period)
    views_chart = bar_chart(
        slug="views-per-day",
        title="Book page views per day",
        description=(
            f"Book page views per day from {period['date_from']} to {period['date_to']}: "
            f"{sum(funnel.views for funnel in per_day.values())} in all."
        ),
        label_heading="Day",
        value_heading="Views",
        extra_headings=("Cart adds", "Orders"),
        points=[
            Point(
                _day_label(day),
                per_day[day].views if day in per_day else 0,
                str(per_day[day].views if day in per_day else 0),
                (str(per_day[day].cart_adds), str(per_day[day].orders)) if day in per_day else ("0", "0"),
            )
            for day in days
        ],
        label_every=max(len(days) // 6, 1),
    )
    return _page(
        request,
        "insights",
        "admin/reports/insights.html",
        {
            "form": form,
            "period": period,
            "funnel": insights_selectors.insights_funnel(**period),
            "views_chart": views_chart,
            "books": [
                (book_id, titles.get(book_id, f"Book {book_id}"), funnel) for book_id, funnel in per_book
            ],
            "top_searches": insights_selectors.top_searches(**period, limit=20),
            "empty_searches": insights_selectors.searches_without_results(**period, limit=20),
        },
    )


REPORTS = [
    Report(
        "sales",
        "Sales by day and genre",
        "Orders, revenue and copies per day and per genre over a period, with CSV export.",
        sales_view,
        ("orders.view_order",),
    ),
    Report(
        "inventory",
        "Inventory and reorder suggestions",
        "Stock, sales velocity over 30 days, days of cover and how many copies to reorder, per book.",
        inventory_view,
        ("catalog.view_book", "orders.view_order"),
    ),
    Report(
        "insights",
        "Shopper insights",
        "Book page views, searches, cart adds and orders, and the view → cart → order conversion.",
        insights_view,
        ("insights.view_dailybookstats", "insights.view_dailysearchstats"),
    ),
]
REPORTS_BY_SLUG = {report.slug: report for report in REPORTS}

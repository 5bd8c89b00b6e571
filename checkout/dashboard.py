"""The back office's dashboard (the admin index): today's sales and refunds, the last 30 days, what
sells, what runs low, what needs someone, and how shoppers convert. It reads orders, payments, the catalog and the
shopper insights, so it lives in this top layer.

It costs a fixed handful of aggregate queries whatever the shop's size (see the test of its query
count): each section is one or two GROUP BY / COUNT queries, never a query per row.

Adding a section or a to-do is a few lines: a to-do is a function in NEEDS_ACTION returning an
`ActionItem` (the count and the admin list that shows those rows); a figure goes into `Dashboard`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from catalog.selectors import low_stock_books
from core.charts import BarChart
from insights import selectors as insights_selectors
from insights.selectors import Funnel
from notifications.models import FailedEmailNotification, NotificationStatus
from orders.admin_reports import revenue_chart
from orders.models import Order, OrderStatus, ReturnRequest, ReturnStatus
from orders.reports import sales_by_day
from orders.selectors import sold_orders, top_books
from payments.models import Payment, PaymentStatus, Refund

PERIOD_DAYS = 30
TOP_BOOKS = 5
LOW_STOCK_SHOWN = 8
SHIPPING_DUE_HOURS = 24


@dataclass(frozen=True)
class ActionItem:
    """Something staff should see to: how many, and the admin list that shows them."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class ActionCheck:
    """A to-do shown to those with `permission` (to view the list it links to)."""

    permission: str
    item: Callable[..., ActionItem]  # called with `now`


def orders_to_ship(*, now) -> ActionItem:
    """Paid more than SHIPPING_DUE_HOURS ago and still not shipped."""
    count = Order.objects.filter(
        status=OrderStatus.PAID, paid_at__lt=now - timedelta(hours=SHIPPING_DUE_HOURS)
    ).count()
    return ActionItem(
        f"Paid over {SHIPPING_DUE_HOURS} h ago, not shipped",
        count,
        reverse("admin:orders_order_changelist") + "?shipping=overdue",
    )


def _in_status(label: str, model, status: str) -> ActionItem:
    """How many `model` rows are in `status`, linked to the admin list filtered on that status."""
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return ActionItem(
        label, model.objects.filter(status=status).count(), f"{changelist}?status__exact={status}"
    )


def payments_to_review(*, now) -> ActionItem:
    """Money received that does not match its order (see the webhook): someone must look."""
    return _in_status("Payments needing review", Payment, PaymentStatus.NEEDS_REVIEW)


def returns_to_answer(*, now) -> ActionItem:
    """Customers waiting for an answer to their return request (refund or rejection)."""
    return _in_status("Return requests to answer", ReturnRequest, ReturnStatus.REQUESTED)


def failed_notifications(*, now) -> ActionItem:
    """Emails given up on after their retries: the customer never got them."""
    count = FailedEmailNotification.objects.filter(status=NotificationStatus.FAILED).count()
    return ActionItem(
        "Failed notifications", count, reverse("admin:notifications_failedemailnotification_changelist")
    )


# One COUNT query each.
NEEDS_ACTION = [
    ActionCheck("orders.view_order", orders_to_ship),
    ActionCheck("payments.view_payment", payments_to_review),
    ActionCheck("orders.view_returnrequest", returns_to_answer),
    ActionCheck("notifications.view_failedemailnotification", failed_notifications),
]


def refunds_since(*, since, today) -> tuple[Decimal, Decimal]:
    """What was refunded to customers today and since `since` (local days), in one query: refunds of
    orders' lines and shipping, whatever Stripe's progress; not surplus payments returned whole, which
    were never sales."""
    day_start, period_start = (timezone.make_aware(datetime.combine(day, time.min)) for day in (today, since))
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
    totals = Refund.objects.filter(surplus=False, created_at__gte=period_start).aggregate(
        today=Coalesce(Sum("amount", filter=Q(created_at__gte=day_start)), zero),
        period=Coalesce(Sum("amount"), zero),
    )
    return totals["today"], totals["period"]


@dataclass
class Dashboard:
    today_orders: int = 0
    today_revenue: Decimal = Decimal("0.00")
    pending_orders: int = 0
    period_orders: int = 0
    period_revenue: Decimal = Decimal("0.00")
    average_order_value: Decimal | None = None
    today_refunds: Decimal = Decimal("0.00")
    period_refunds: Decimal = Decimal("0.00")
    revenue_chart: BarChart | None = None
    top_books: list[dict] = field(default_factory=list)
    low_stock: list = field(default_factory=list)
    low_stock_count: int = 0
    needs_action: list[ActionItem] = field(default_factory=list)
    funnel: Funnel | None = None
    empty_searches: list[dict] = field(default_factory=list)
    period_days: int = PERIOD_DAYS


def dashboard_for(user) -> Dashboard:
    """The figures `user` may see: sales with `orders.view_order`, stock with `catalog.view_book`,
    shopper insights with the insights' view permission, each to-do with its list's."""
    now = timezone.now()
    today = timezone.localdate()
    since = today - timedelta(days=PERIOD_DAYS - 1)
    board = Dashboard()
    if user.has_perm("orders.view_order"):
        days = sales_by_day(date_from=since, date_to=today)
        board.today_orders, board.today_revenue = days[-1].orders, days[-1].revenue
        board.period_orders = sum(day.orders for day in days)
        board.period_revenue = sum((day.revenue for day in days), Decimal("0.00"))
        if board.period_orders:
            board.average_order_value = (board.period_revenue / board.period_orders).quantize(Decimal("0.01"))
        board.revenue_chart = revenue_chart(days)
        board.pending_orders = Order.objects.filter(status=OrderStatus.PENDING).count()
        board.top_books = top_books(orders=sold_orders(date_from=since, date_to=today), limit=TOP_BOOKS)
    if user.has_perm("payments.view_refund"):
        board.today_refunds, board.period_refunds = refunds_since(since=since, today=today)
    if user.has_perm("catalog.view_book"):
        low = low_stock_books()
        board.low_stock = list(low[:LOW_STOCK_SHOWN])
        board.low_stock_count = (
            len(board.low_stock) if len(board.low_stock) < LOW_STOCK_SHOWN else low.count()
        )
    board.needs_action = [check.item(now=now) for check in NEEDS_ACTION if user.has_perm(check.permission)]
    if user.has_perm("insights.view_dailybookstats"):
        board.funnel = insights_selectors.insights_funnel(date_from=since, date_to=today)
        board.empty_searches = insights_selectors.searches_without_results(
            date_from=since, date_to=today, limit=5
        )
    return board

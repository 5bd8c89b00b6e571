"""The staff's order pages: an order with its customer, address, note, status timeline, figures, lines,
payments, shipments, refunds and return requests; its buttons (`admin_order_actions`) and the list's
bulk actions change it through `checkout.services` / `orders.services`, as the API does
(`order_ship`, `order_deliver`, `order_cancel`, `order_refund`). And the users' pages with what each
customer ordered, which the accounts app cannot know (it sits below orders)."""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.admin import UserAdmin
from core.admin_tools import ReadOnlyInline
from core.errors import BusinessError
from core.templatetags.shop import money
from orders.models import (
    SOLD_STATUSES,
    Order,
    OrderItem,
    OrderStatus,
    ReturnRequest,
    Shipment,
)
from payments.models import Payment, Refund

from . import services
from .admin_order_actions import OrderActionsMixin
from .dashboard import SHIPPING_DUE_HOURS


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = readonly_fields = [
        "book",
        "title",
        "unit_price",
        "quantity",
        "line_total",
        "discount",
        "tax_rate",
        "tax",
        "refunded_quantity",
        "restocked_quantity",
    ]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = [
        "created_at",
        "payment_intent_id",
        "amount",
        "currency",
        "status",
        "failure_reason",
    ]


class ShippingDueFilter(admin.SimpleListFilter):
    """The dashboard's "paid over 24 h ago, not shipped" to-do, as a filter of the order list."""

    title = "shipping"
    parameter_name = "shipping"

    def lookups(self, request, model_admin):
        return [("overdue", f"Paid over {SHIPPING_DUE_HOURS} h ago, not shipped")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            due = timezone.now() - timedelta(hours=SHIPPING_DUE_HOURS)
            return queryset.filter(status=OrderStatus.PAID, paid_at__lt=due)
        return queryset


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = readonly_fields = ["shipped_at", "carrier", "tracking_number", "tracking_url", "actor"]


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = readonly_fields = [
        "created_at",
        "amount",
        "reason",
        "shipping",
        "restock",
        "surplus",
        "return_request",
        "status",
        "stripe_refund_id",
        "actor",
    ]


class ReturnRequestInline(ReadOnlyInline):
    model = ReturnRequest
    fields = readonly_fields = ["created_at", "status", "reason", "answer", "answered_at", "answered_by"]
    show_change_link = True


@admin.register(Order)
class OrderAdmin(OrderActionsMixin, admin.ModelAdmin):
    list_display = ["id", "user", "status", "total", "currency", "created_at", "pay_by", "paid_at"]
    list_filter = ["status", ShippingDueFilter, "created_at"]
    search_fields = ["=id", "user__email", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    inlines = [
        OrderItemInline,
        PaymentInline,
        ShipmentInline,
        RefundInline,
        ReturnRequestInline,
    ]
    actions = ["mark_shipped", "mark_delivered", "cancel_orders"]
    fieldsets = [
        ("Customer", {"fields": ["customer", "address", "shipping_method_name", "note"]}),
        ("Status", {"fields": ["status", "timeline", "pay_by", "paid_at", "delivered_at"]}),
        (
            "Figures",
            {
                "fields": [
                    "currency",
                    "subtotal",
                    "discount",
                    "shipping",
                    "tax",
                    "total",
                    "prices_include_tax",
                    "refunded_total",
                    "coupon",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]
    # An order is a record: it changes only through the services (the buttons above the form).
    readonly_fields = [name for _title, section in fieldsets for name in section["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "coupon")

    @admin.display(description="Customer")
    def customer(self, order):
        return render_to_string(
            "admin/orders/order/customer.html",
            {"customer": order.user, "url": reverse("admin:accounts_user_change", args=[order.user_id])},
        )

    @admin.display(description="Timeline")
    def timeline(self, order):
        changes = order.status_changes.select_related("actor").order_by("created_at", "id")
        return render_to_string("admin/orders/order/timeline.html", {"changes": changes})

    @admin.display(description="Shipping address")
    def address(self, order):
        if not order.shipping_address:
            return "—"
        return render_to_string("accounts/_address.html", {"address": order.shipping_address})

    @admin.display(description="Shipping method")
    def shipping_method_name(self, order):
        return (order.shipping_method or {}).get("name", "—")

    def has_add_permission(self, request):
        return False  # orders are placed by checkout only

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: it returns stock and keeps history

    def _move(self, request, queryset, to_status):
        moved = 0
        for order in queryset:
            try:
                services.order_status_set(
                    order_id=order.pk, to_status=to_status, actor=request.user, by_staff=True
                )
                moved += 1
            except BusinessError as exc:
                self.message_user(request, f"Order {order.pk}: {exc.detail}", messages.ERROR)
        if moved:
            self.message_user(request, f"{moved} order(s) now {to_status}.", messages.SUCCESS)

    @admin.action(description="Mark selected orders as shipped")
    def mark_shipped(self, request, queryset):
        self._move(request, queryset, OrderStatus.SHIPPED)

    @admin.action(description="Mark selected orders as delivered")
    def mark_delivered(self, request, queryset):
        self._move(request, queryset, OrderStatus.DELIVERED)

    @admin.action(description="Cancel selected orders (returns stock, refunds paid ones)")
    def cancel_orders(self, request, queryset):
        self._move(request, queryset, OrderStatus.CANCELLED)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CustomerAdmin(UserAdmin):
    """The accounts app's user admin (its actions included), with each user's orders: how many, how many
    were cancelled, and what they spent (paid-or-later order totals), counted in the list's own query."""

    list_display = [*UserAdmin.list_display, "order_count", "cancelled_count", "total_spent"]
    readonly_fields = [*UserAdmin.readonly_fields, "order_count", "cancelled_count", "total_spent"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                order_count=Count("orders"),
                cancelled_count=Count("orders", filter=Q(orders__status=OrderStatus.CANCELLED)),
                total_spent=Coalesce(
                    Sum("orders__total", filter=Q(orders__status__in=SOLD_STATUSES)),
                    Value(0),
                    output_field=DecimalField(max_digits=14, decimal_places=2),
                ),
            )
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Orders", {"fields": ["order_count", "cancelled_count", "total_spent"]})]

    @admin.display(description="orders", ordering="order_count")
    def order_count(self, user):
        return user.order_count

    @admin.display(description="cancelled", ordering="cancelled_count")
    def cancelled_count(self, user):
        return user.cancelled_count

    @admin.display(description="spent", ordering="total_spent")
    def total_spent(self, user):
        return money(user.total_spent)

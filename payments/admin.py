"""Payment history in the Django admin, read-only: money moves only through orders and Stripe."""

from django.contrib import admin

from core.admin_tools import ReadOnlyAdmin, ReadOnlyInline

from .models import Payment, ProcessedEvent, Refund, RefundLine


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "order",
        "payment_intent_id",
        "amount",
        "currency",
        "status",
        "created_at",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["=order__id", "payment_intent_id"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    exclude = ["client_secret"]


@admin.register(ProcessedEvent)
class ProcessedEventAdmin(ReadOnlyAdmin):
    list_display = ["stripe_event_id", "type", "outcome", "received_at"]
    list_filter = ["type"]
    search_fields = ["stripe_event_id"]


class RefundLineInline(ReadOnlyInline):
    model = RefundLine
    fields = readonly_fields = ["order_item", "quantity", "amount"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    """Refunds are made from their order (`checkout.services.order_refund`); Stripe's answer is here."""

    list_display = ["id", "order", "amount", "currency", "status", "surplus", "created_at"]
    list_filter = ["status", "surplus", "created_at"]
    search_fields = ["=order__id", "stripe_refund_id"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    inlines = [RefundLineInline]

"""Payment history in the Django admin, read-only: money moves only through orders and Stripe."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Payment, ProcessedEvent


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "order",
        "payment_intent_id",
        "amount",
        "currency",
        "status",
        "refund_status",
        "created_at",
    ]
    list_filter = ["status", "refund_status", "created_at"]
    search_fields = ["=order__id", "payment_intent_id", "refund_id"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    exclude = ["client_secret"]


@admin.register(ProcessedEvent)
class ProcessedEventAdmin(ReadOnlyAdmin):
    list_display = ["stripe_event_id", "type", "outcome", "received_at"]
    list_filter = ["type"]
    search_fields = ["stripe_event_id"]

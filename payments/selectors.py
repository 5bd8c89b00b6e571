"""Payment reads: what an order shows of its payments, and the staff's payment history."""

from django.db.models import Prefetch, QuerySet

from .models import Payment, PaymentStatus, Refund


def payment_history() -> QuerySet:
    return Payment.objects.order_by("-created_at", "-id")


def order_payments_prefetch(lookup: str = "payments") -> Prefetch:
    """An order's payments, oldest first, without placeholders still waiting for their intent."""
    return Prefetch(
        lookup,
        queryset=Payment.objects.exclude(status=PaymentStatus.CREATING).order_by("created_at", "id"),
    )


def order_refunds_prefetch(lookup: str = "refunds") -> Prefetch:
    """An order's refunds, oldest first, with their lines and the lines' order items."""
    return Prefetch(
        lookup, queryset=Refund.objects.prefetch_related("lines__order_item").order_by("created_at", "id")
    )

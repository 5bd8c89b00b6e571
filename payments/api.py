"""The staff's payment history. Stripe's webhook and the customer's "pay this order" call
(`POST /api/orders/{id}/payment/`) are the checkout layer's (`checkout.api`): they change orders."""

from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAdminUser

from core.filters import FilterSet

from . import selectors
from .models import Payment, PaymentStatus
from .serializers import AdminPaymentSerializer


class AdminPaymentFilter(FilterSet):
    status = filters.ChoiceFilter(choices=PaymentStatus.choices)
    # Whole ids of at most 18 digits: a longer number would overflow the database integer (a 500).
    order = filters.NumberFilter(field_name="order_id", min_value=1, max_digits=18, decimal_places=0)

    class Meta:
        model = Payment
        fields = ["status", "order"]


class AdminPaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payment history for staff (read-only: money moves only through orders and Stripe)."""

    permission_classes = [IsAdminUser]
    serializer_class = AdminPaymentSerializer
    filterset_class = AdminPaymentFilter

    def get_queryset(self):
        return selectors.payment_history()

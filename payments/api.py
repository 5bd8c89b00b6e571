"""Payment endpoints: Stripe's webhook and the staff's payment history.

The customer's "pay this order" call lives on the order routes (`POST /api/orders/{id}/payment/`).
"""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.filters import FilterSet
from core.schema import bad_request

from . import selectors, webhooks
from .models import Payment, PaymentStatus
from .serializers import AdminPaymentSerializer, WebhookResultSerializer


class StripeWebhookView(APIView):
    """Stripe calls this; the signature on the raw body is the only credential (no session, no CSRF)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    parser_classes = [JSONParser]  # documents the body; the view reads the raw bytes, never request.data

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: WebhookResultSerializer,
            400: bad_request("invalid_webhook"),
        },
        description="Stripe event delivery, verified with the `Stripe-Signature` header.",
    )
    def post(self, request):
        outcome = webhooks.webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
        return Response({"status": outcome})


class AdminPaymentFilter(FilterSet):
    status = filters.ChoiceFilter(choices=PaymentStatus.choices)
    order = filters.NumberFilter(field_name="order_id", min_value=1)

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

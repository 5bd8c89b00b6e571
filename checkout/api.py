"""The order endpoints: checkout and own orders for customers, every order for staff, and Stripe's
webhook, which decides what a payment does to its order; and /api/users/me/ as a whole (the account
with its orders, and closing it). Each calls `checkout.services`."""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import api as accounts_api
from accounts.serializers import AccountCloseSerializer
from core.filters import FilterSet
from core.schema import bad_request, delete_with_body, refusal
from orders.models import Order, OrderStatus
from payments.serializers import PaymentIntentSerializer, WebhookResultSerializer

from . import selectors, services
from .serializers import (
    AdminOrderSerializer,
    AdminOrderUpdateSerializer,
    CheckoutSerializer,
    MeSerializer,
    OrderSerializer,
)

BUSY = refusal("busy", description="The database stayed locked; nothing changed, try again.")
INVALID_TRANSITION = refusal(
    "invalid_transition", description="The order's status does not allow this change."
)


class OrderViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Order.objects.none()
        return selectors.order_list_for_user(user=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        order = selectors.order_get_for_user(user=request.user, order_id=int(pk))
        return Response(self.get_serializer(order).data)

    @extend_schema(
        request=CheckoutSerializer,
        responses={
            201: OrderSerializer,
            400: bad_request("cart_empty", "invalid_coupon", "order_too_large"),
            409: refusal("insufficient_stock", description="Some books ran short; `books` names them."),
            503: BUSY,
        },
    )
    def create(self, request):
        payload = CheckoutSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order = services.order_place(
            user=request.user,
            shipping_address=payload.validated_data["shipping_address"],
            coupon_code=payload.validated_data.get("coupon_code") or None,
        )
        order = selectors.order_get_for_user(user=request.user, order_id=order.pk)
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OrderSerializer, 409: INVALID_TRANSITION, 503: BUSY})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The owner cancels their order (staff may cancel any: they use the same route)."""
        order = selectors.order_get_for_actor(actor=request.user, order_id=int(pk))
        services.order_cancel(order_id=order.pk, actor=request.user, by_staff=request.user.is_staff)
        return Response(
            self.get_serializer(selectors.order_get_for_actor(actor=request.user, order_id=order.pk)).data
        )

    @extend_schema(
        request=None,
        responses={
            201: PaymentIntentSerializer,
            200: PaymentIntentSerializer,
            404: refusal("not_found", description="No such order of yours."),
            409: refusal("order_not_payable", description="Not pending, or past `pay_by`."),
            502: refusal("payment_provider_error", description="Stripe failed; nothing charged."),
            503: refusal("busy", description="Another click is still creating the intent."),
        },
        description="Create the order's Stripe PaymentIntent (201), or return its still-usable one (200).",
    )
    @action(detail=True, methods=["post"])
    def payment(self, request, pk=None):
        """Only the owner may pay: anyone else's order is reported missing."""
        order = selectors.order_get_for_user(user=request.user, order_id=int(pk))
        payment, created = services.payment_intent_for_order(order_id=order.pk)
        return Response(
            PaymentIntentSerializer(payment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AdminOrderFilter(FilterSet):
    status = filters.ChoiceFilter(choices=OrderStatus.choices)
    # Whole ids of at most 18 digits: a longer number would overflow the database integer (a 500).
    user = filters.NumberFilter(field_name="user_id", min_value=1, max_digits=18, decimal_places=0)

    class Meta:
        model = Order
        fields = ["status", "user"]


class AdminOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAdminUser]
    serializer_class = AdminOrderSerializer
    filterset_class = AdminOrderFilter

    def get_queryset(self):
        return selectors.order_queryset().prefetch_related("status_changes").order_by("-created_at", "-id")

    @extend_schema(
        request=AdminOrderUpdateSerializer,
        responses={200: AdminOrderSerializer, 409: INVALID_TRANSITION, 503: BUSY},
    )
    def partial_update(self, request, pk=None):
        order = self.get_object()
        payload = AdminOrderUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.order_status_set(
            order_id=order.pk,
            to_status=payload.validated_data["status"],
            actor=request.user,
            by_staff=True,
            note=payload.validated_data["note"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)


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
        outcome = services.stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
        return Response({"status": outcome})


class MeViewSet(accounts_api.MeViewSet):
    """/api/users/me/: the account as accounts serves it, with `orders_cancelled`, and DELETE (closing
    the account spans the apps: its orders, cart, wishlist...)."""

    serializer_class = MeSerializer

    @extend_schema(
        request=AccountCloseSerializer,
        responses={
            204: None,
            403: refusal(
                "forbidden",
                "permission_denied",
                description="A staff account (a superuser deactivates it), or a cookie session without CSRF.",
            ),
            429: accounts_api.PASSWORD_CHECKS_THROTTLED,
            503: BUSY,
        },
        description=(
            "Closes the caller's account, confirmed with its password (wrong → 400 `password`): pending "
            "orders are cancelled, the cart, wishlist, preferences and waiting pre-bookings removed, the "
            "email and names anonymised and every login ended. Orders and reviews are kept."
        ),
    )
    @delete_with_body
    def destroy(self, request):
        payload = AccountCloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.account_close(user=request.user, password=payload.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)

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
from orders import returns
from orders.models import Order, OrderStatus
from orders.serializers import ReturnCreateSerializer, ReturnRequestSerializer
from orders.services import order_deliver, order_ship
from payments.serializers import PaymentIntentSerializer, RefundSerializer, WebhookResultSerializer

from . import selectors, services
from .quotes import checkout_quote
from .serializers import (
    AdminOrderSerializer,
    AdminOrderUpdateSerializer,
    CancelSerializer,
    CheckoutSerializer,
    DeliverSerializer,
    MeSerializer,
    OrderSerializer,
    QuoteInputSerializer,
    QuoteSerializer,
    RefundCreateSerializer,
    ShipSerializer,
)

BUSY = refusal("busy", description="The database stayed locked; nothing changed, try again.")
INVALID_TRANSITION = refusal(
    "invalid_transition", description="The order's status does not allow this change."
)
CHECKOUT_REFUSALS = bad_request("cart_empty", "invalid_coupon", "order_too_large", "shipping_unavailable")
NO_SUCH_ADDRESS = refusal(
    "not_found", description="No such order, or `address_id` is not in your address book."
)


def _checkout_inputs(data: dict) -> dict:
    return {
        "address_id": data.get("address_id"),
        "shipping_address": data.get("shipping_address"),
        "shipping_method": data["shipping_method"],
        "coupon_code": data.get("coupon_code") or None,
    }


class CartQuoteView(APIView):
    """What the cart would cost, delivered there by that method with that coupon; nothing is stored."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=QuoteInputSerializer,
        responses={
            200: QuoteSerializer,
            400: CHECKOUT_REFUSALS,
            404: refusal("not_found", description="`address_id` is not in your address book."),
        },
    )
    def post(self, request):
        payload = QuoteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        quote = checkout_quote(user=request.user, **_checkout_inputs(payload.validated_data))
        return Response(QuoteSerializer(quote).data)


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
            400: CHECKOUT_REFUSALS,
            404: refusal("not_found", description="`address_id` is not in your address book."),
            409: refusal("insufficient_stock", description="Some books ran short; `books` names them."),
            503: BUSY,
        },
    )
    def create(self, request):
        payload = CheckoutSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order = services.order_place(
            user=request.user,
            note=payload.validated_data["note"],
            **_checkout_inputs(payload.validated_data),
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
        methods=["GET"],
        request=None,
        responses={200: ReturnRequestSerializer(many=True)},
        description="The order's return requests, oldest first.",
    )
    @extend_schema(
        methods=["POST"],
        request=ReturnCreateSerializer,
        responses={
            201: ReturnRequestSerializer,
            409: refusal(
                "return_window_closed",
                "invalid_transition",
                description="Past RETURN_WINDOW_DAYS after delivery, or the order is not delivered.",
            ),
            503: BUSY,
        },
        description="Ask to return books of a delivered order, within RETURN_WINDOW_DAYS of delivery.",
    )
    @action(detail=True, methods=["get", "post"])
    def returns(self, request, pk=None):
        order = selectors.order_get_for_user(user=request.user, order_id=int(pk))
        if request.method == "GET":
            page = self.paginate_queryset(returns.returns_for_order(order_id=order.pk))
            return self.get_paginated_response(ReturnRequestSerializer(page, many=True).data)
        payload = ReturnCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = returns.return_request_create(order_id=order.pk, **payload.validated_data)
        body = ReturnRequestSerializer(returns.returns_for_order(order_id=order.pk).get(pk=created.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

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

    def _answer(self, order_id: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=order_id)).data)

    @extend_schema(
        request=ShipSerializer, responses={200: AdminOrderSerializer, 409: INVALID_TRANSITION, 503: BUSY}
    )
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        """paid → shipped, with the parcel's carrier and tracking number (the customer gets the link)."""
        order = self.get_object()
        payload = ShipSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order_ship(order_id=order.pk, actor=request.user, **payload.validated_data)
        return self._answer(order.pk)

    @extend_schema(
        request=DeliverSerializer, responses={200: AdminOrderSerializer, 409: INVALID_TRANSITION, 503: BUSY}
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        """shipped → delivered (the return window starts now)."""
        order = self.get_object()
        payload = DeliverSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order_deliver(order_id=order.pk, actor=request.user, note=payload.validated_data["note"])
        return self._answer(order.pk)

    @extend_schema(
        request=CancelSerializer, responses={200: AdminOrderSerializer, 409: INVALID_TRANSITION, 503: BUSY}
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel_order(self, request, pk=None):
        """pending or paid → cancelled, with the reason the customer reads; a paid order is refunded."""
        order = self.get_object()
        payload = CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.order_cancel(
            order_id=order.pk, actor=request.user, by_staff=True, reason=payload.validated_data["reason"]
        )
        return self._answer(order.pk)

    @extend_schema(
        request=RefundCreateSerializer,
        responses={
            201: RefundSerializer,
            409: refusal(
                "refund_exceeds_paid",
                "order_not_refundable",
                "invalid_transition",
                description="More than was paid and not yet refunded; an order that is not paid, shipped "
                "or delivered; or a return request already answered. Nothing changed.",
            ),
            503: BUSY,
        },
    )
    @action(detail=True, methods=["post"])
    def refunds(self, request, pk=None):
        """Refund copies of some lines (their share of what was paid), the shipping, or both, through
        Stripe; `restock` puts the copies back on the shelf through the stock ledger."""
        order = self.get_object()
        payload = RefundCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        refund = services.order_refund(order_id=order.pk, actor=request.user, **payload.validated_data)
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)


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

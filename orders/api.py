"""Coupons, shipping methods, tax rates, return requests (staff) and the shipping methods a country
gets (anyone); sales and inventory reports; the customer's "picked for you". Orders themselves are
served by `checkout.api`."""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response

from accounts.addresses import country_region_normalize
from catalog.models import Book
from catalog.selectors import low_stock_books
from core.csv_export import CSVExportMixin, csv_response
from core.filters import FilterSet
from core.pagination import StandardPagination
from core.schema import csv_format_parameter, csv_or_json, refusal

from . import coupons, reports, returns, selectors, shipping, taxes
from .models import Coupon, ReturnRequest, ReturnStatus, ShippingMethod, TaxRate
from .recommendations import MAX_RECOMMENDATIONS, recommendations_for_user
from .serializers import (
    AdminShippingMethodSerializer,
    CouponSerializer,
    InventoryQuerySerializer,
    InventoryRowSerializer,
    LowStockBookSerializer,
    LowStockQuerySerializer,
    ReasonSerializer,
    RecommendationSerializer,
    ReturnRequestSerializer,
    SalesReportQuerySerializer,
    SalesReportSerializer,
    ShippingMethodQuerySerializer,
    ShippingMethodSerializer,
    TaxRateSerializer,
)

ANSWERED = refusal("invalid_transition", description="The request was already answered.")


class ShippingMethodViewSet(viewsets.GenericViewSet):
    """The active shipping methods, all or those that ship to `?country=`."""

    permission_classes = [AllowAny]
    serializer_class = ShippingMethodSerializer
    queryset = ShippingMethod.objects.none()  # (for the schema) the list is built by orders.shipping

    @extend_schema(parameters=[ShippingMethodQuerySerializer])
    def list(self, request):
        query = ShippingMethodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        country = query.validated_data.get("country")
        if country is None:
            methods = list(ShippingMethod.objects.filter(is_active=True))
        else:
            code, _region = country_region_normalize(country)
            methods = shipping.shipping_methods_for_country(code)
        page = self.paginate_queryset([shipping.shipping_method_snapshot(method) for method in methods])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AdminShippingMethodViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdminUser]
    serializer_class = AdminShippingMethodSerializer
    queryset = ShippingMethod.objects.order_by("code", "id")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = shipping.shipping_method_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = shipping.shipping_method_update(
            method=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        shipping.shipping_method_delete(method=instance)


class AdminTaxRateViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdminUser]
    serializer_class = TaxRateSerializer
    queryset = TaxRate.objects.order_by("country", "region", "tax_class", "id")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = taxes.tax_rate_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = taxes.tax_rate_update(tax_rate=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        taxes.tax_rate_delete(tax_rate=instance)


class AdminReturnFilter(FilterSet):
    status = filters.ChoiceFilter(choices=ReturnStatus.choices)

    class Meta:
        model = ReturnRequest
        fields = ["status"]


class AdminReturnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Customers' return requests; answer one with a refund (`POST /api/admin/orders/{id}/refunds/`
    with its `return_id`) or reject it here."""

    permission_classes = [IsAdminUser]
    serializer_class = ReturnRequestSerializer
    filterset_class = AdminReturnFilter

    def get_queryset(self):
        return returns.returns_for_staff().order_by("-created_at", "-id")

    @extend_schema(request=ReasonSerializer, responses={200: ReturnRequestSerializer, 409: ANSWERED})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return_request = self.get_object()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        answered = returns.return_request_reject(
            return_id=return_request.pk, reason=payload.validated_data["reason"], actor=request.user
        )
        return Response(self.get_serializer(returns.returns_for_staff().get(pk=answered.pk)).data)


class AdminCouponViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdminUser]
    serializer_class = CouponSerializer
    queryset = Coupon.objects.order_by("-created_at", "-id")

    @extend_schema(
        responses={204: None, 409: refusal("in_use", description="Orders used it: deactivate it instead.")}
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = coupons.coupon_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = coupons.coupon_update(coupon=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        coupons.coupon_delete(coupon=instance)


class AdminReportViewSet(viewsets.ViewSet):
    permission_classes = [IsAdminUser]
    # The low-stock list pages like every other list; naming the class here also shows it in the schema.
    pagination_class = StandardPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)."),
        ],
        responses=SalesReportSerializer,
    )
    @action(detail=False, methods=["get"])
    def sales(self, request):
        query = SalesReportQuerySerializer(
            data={
                "date_from": request.query_params.get("from") or None,
                "date_to": request.query_params.get("to") or None,
            }
        )
        query.is_valid(raise_exception=True)
        report = selectors.sales_report(**query.validated_data)
        return Response(SalesReportSerializer(report).data)

    @extend_schema(parameters=[LowStockQuerySerializer], responses=LowStockBookSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="low-stock")
    def low_stock(self, request):
        query = LowStockQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(low_stock_books(**query.validated_data), request, view=self)
        return paginator.get_paginated_response(
            LowStockBookSerializer(page, many=True, context={"request": request}).data
        )


class AdminInventoryViewSet(CSVExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """/api/admin/reports/inventory/: each book's stock, sales velocity, days of cover and reorder
    suggestion (orders.reports), most urgent first."""

    permission_classes = [IsAdminUser]
    serializer_class = InventoryRowSerializer
    filter_backends = []  # the query is InventoryQuerySerializer's

    def get_queryset(self):
        query = InventoryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return reports.inventory_queryset(**query.validated_data)

    @extend_schema(
        parameters=[InventoryQuerySerializer, csv_format_parameter()],
        responses=csv_or_json(InventoryRowSerializer(many=True)),
    )
    def list(self, request, *args, **kwargs):
        """`?format=csv` answers every matching book as a CSV file (not paged)."""
        if not self.wants_csv():
            return super().list(request, *args, **kwargs)
        return csv_response(
            filename="inventory.csv",
            header=reports.INVENTORY_CSV_HEADER,
            rows=reports.inventory_csv_rows(self.get_queryset()),
        )


class MyRecommendationsViewSet(viewsets.GenericViewSet):
    """/api/users/me/recommendations/: books picked for the caller (orders.recommendations)."""

    permission_classes = [IsAuthenticated]
    serializer_class = RecommendationSerializer
    pagination_class = StandardPagination
    queryset = Book.objects.none()  # the picks are a list, not a queryset; this names the model

    @extend_schema(
        description=(
            f"Up to {MAX_RECOMMENDATIONS} books picked for the caller, strongest reason first: bought "
            "together with their paid purchases or wishlist books by other customers, by the same "
            "authors, in their favourite genres or the genres they bought, then the shop's bestsellers. "
            "Only books in stock they neither bought nor wished for. Computed on each call."
        )
    )
    def list(self, request):
        picks = recommendations_for_user(user=request.user)
        page = self.paginate_queryset(picks)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

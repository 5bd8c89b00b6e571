"""Staff endpoints for coupons and sales reports, and the customer's "picked for you" (orders themselves
are served by `checkout.api`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response

from catalog.models import Book
from catalog.selectors import low_stock_books
from core.csv_export import CSVExportMixin, csv_response
from core.pagination import StandardPagination
from core.schema import csv_format_parameter, csv_or_json, refusal

from . import coupons, reports, selectors
from .models import Coupon
from .recommendations import MAX_RECOMMENDATIONS, recommendations_for_user
from .serializers import (
    CouponSerializer,
    InventoryQuerySerializer,
    InventoryRowSerializer,
    LowStockBookSerializer,
    LowStockQuerySerializer,
    RecommendationSerializer,
    SalesReportQuerySerializer,
    SalesReportSerializer,
)


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

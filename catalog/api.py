"""Catalog endpoints: genres and books (staff write, anyone reads), stock and cover for staff."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from bookstore.schema import refusal

from . import selectors, services
from .filters import BookFilter
from .models import Genre
from .permissions import IsStaffOrReadOnly
from .serializers import (
    BookSerializer,
    CoverSerializer,
    CoverUploadSerializer,
    GenreSerializer,
    StockUpdateSerializer,
)


class GenreViewSet(viewsets.ModelViewSet):
    queryset = Genre.objects.order_by("name", "id")
    serializer_class = GenreSerializer
    permission_classes = [IsStaffOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.genre_save(**serializer.validated_data)

    def perform_update(self, serializer):
        data = {
            "name": serializer.instance.name,
            "slug": serializer.instance.slug,
            "parent": serializer.instance.parent,
            **serializer.validated_data,
        }
        serializer.instance = services.genre_save(genre=serializer.instance, **data)


class BookViewSet(viewsets.ModelViewSet):
    serializer_class = BookSerializer
    permission_classes = [IsStaffOrReadOnly]
    filterset_class = BookFilter

    def get_queryset(self):
        return selectors.book_queryset()

    def perform_create(self, serializer):
        serializer.instance = services.book_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.book_update(
            book=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.book_deactivate(book=instance)

    @extend_schema(request=StockUpdateSerializer, responses=BookSerializer)
    @action(detail=True, methods=["patch"], permission_classes=[IsAdminUser])
    def stock(self, request, pk=None):
        book = self.get_object()
        payload = StockUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        book = services.book_set_stock(book_id=book.pk, actor=request.user, **payload.validated_data)
        return Response(self.get_serializer(book).data)

    @extend_schema(
        request={"multipart/form-data": CoverUploadSerializer},
        responses={200: CoverSerializer, 413: refusal("too_large", description="The image is over 5 MB.")},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAdminUser], parser_classes=[MultiPartParser])
    def cover(self, request, pk=None):
        book = self.get_object()
        payload = CoverUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        book = services.book_set_cover(book=book, upload=payload.validated_data["image"])
        return Response(
            CoverSerializer({"cover_url": self.get_serializer(book).data["cover_url"]}).data,
            status=status.HTTP_200_OK,
        )

"""Catalog endpoints: genres and books (staff write, anyone reads), stock and cover for staff; each
customer's wishlist and pre-bookings."""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.csv_export import CSVExportMixin, csv_response
from core.schema import csv_format_parameter, csv_or_json, refusal

from . import selectors, services
from .cache_version import catalog_version
from .filters import BookFilter, StockMovementFilter
from .models import Genre, PreBooking, WishlistItem
from .pagination import BookPagination
from .permissions import IsStaffOrReadOnly
from .serializers import (
    BookIdSerializer,
    BookSerializer,
    CoverSerializer,
    CoverUploadSerializer,
    GenreSerializer,
    PreBookingSerializer,
    PreferencesSerializer,
    PreferencesUpdateSerializer,
    RelatedBooksSerializer,
    StockMovementSerializer,
    StockUpdateSerializer,
    WishlistItemSerializer,
)

NO_SUCH_BOOK = refusal("not_found", description="No such book in the catalog.")


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
    pagination_class = BookPagination

    def get_queryset(self):
        return selectors.book_queryset()

    def get_object(self):
        """The book of a detail route, read through the compiled query of `selectors.book_get_active`
        (the ORM would build and compile the same query for every request: a third of a detail's time).
        The router lets only digits through as the id."""
        book = selectors.book_get_active(book_id=int(self.kwargs[self.lookup_url_kwarg or self.lookup_field]))
        self.check_object_permissions(self.request, book)
        return book

    def filter_queryset(self, queryset):
        # Filters and ordering shape lists; a book asked for by id is found whatever the query string says.
        if self.action != "list":
            return queryset
        browsed = self.filterset_class.browsed(queryset, self.request.query_params)
        return browsed if browsed is not None else super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        """A page of the list (browsing or a search) is the same for everyone, and the popular ones are
        asked for over and over: kept (see `_kept`)."""
        return self._kept(
            request, "book-list", lambda: super(BookViewSet, self).list(request, *args, **kwargs)
        )

    def retrieve(self, request, *args, **kwargs):
        """A book is the same for everyone, and a popular one is asked for over and over: kept (see
        `_kept`)."""
        return self._kept(
            request, "book-detail", lambda: super(BookViewSet, self).retrieve(request, *args, **kwargs)
        )

    def _kept(self, request, name: str, respond) -> HttpResponse:
        """The answer as the JSON sent, kept in the per-process "catalog" cache for
        BOOK_LIST_CACHE_SECONDS (0 turns this off) under the catalog's version
        (catalog/cache_version.py): a change made through the catalog services shows at once, any other
        (a stock or price written around them) at most that much later, as on the shop's pages. The cart
        and checkout always read live rows."""
        seconds = settings.BOOK_LIST_CACHE_SECONDS
        if not seconds:
            return respond()
        cache = caches["catalog"]
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"{name}:{catalog_version()}:{address}"
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body, content_type=JSONRenderer.media_type)
        response = respond()
        response.add_post_render_callback(lambda rendered: cache.set(key, rendered.content, seconds))
        return response

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

    @extend_schema(request=None, responses={200: RelatedBooksSerializer, 404: NO_SUCH_BOOK})
    @action(detail=True, methods=["get"])
    def related(self, request, pk=None):
        """Books to show beside this one: "customers also bought" and "more by this author"."""
        related = selectors.book_related(book=self.get_object())
        return Response(RelatedBooksSerializer(related, context=self.get_serializer_context()).data)

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


class WishlistViewSet(viewsets.GenericViewSet):
    """/api/wishlist/: the caller's own wishlist; DELETE takes the book's id."""

    serializer_class = WishlistItemSerializer
    permission_classes = [IsAuthenticated]
    queryset = WishlistItem.objects.none()
    lookup_field = "book_id"

    def list(self, request):
        page = self.paginate_queryset(selectors.wishlist_for_user(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=BookIdSerializer,
        responses={
            201: WishlistItemSerializer,
            404: NO_SUCH_BOOK,
            409: refusal("duplicate", description="The book is on your wishlist already."),
        },
    )
    def create(self, request):
        payload = BookIdSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.wishlist_add(user=request.user, book_id=payload.validated_data["book_id"])
        item = selectors.wishlist_for_user(user=request.user).get(pk=item.pk)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, book_id=None):
        services.wishlist_remove(user=request.user, book_id=int(book_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreBookingViewSet(viewsets.GenericViewSet):
    """/api/prebooks/: the caller's pre-bookings of sold-out titles; another user's is simply not found."""

    serializer_class = PreBookingSerializer
    permission_classes = [IsAuthenticated]
    queryset = PreBooking.objects.none()

    def list(self, request):
        page = self.paginate_queryset(selectors.prebooking_list_for_user(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=BookIdSerializer,
        responses={
            201: PreBookingSerializer,
            404: NO_SUCH_BOOK,
            409: refusal(
                "in_stock",
                "duplicate",
                description="The title is in stock, or you are already waiting for it.",
            ),
        },
    )
    def create(self, request):
        payload = BookIdSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        prebooking = services.prebooking_create(user=request.user, book_id=payload.validated_data["book_id"])
        prebooking = selectors.prebooking_list_for_user(user=request.user).get(pk=prebooking.pk)
        return Response(self.get_serializer(prebooking).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None, 409: refusal("invalid_transition", description="It was notified already.")}
    )
    def destroy(self, request, pk=None):
        """Cancels the pre-booking (it stays in the list as `cancelled`)."""
        services.prebooking_cancel(user=request.user, prebooking_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdminStockMovementViewSet(CSVExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """/api/admin/reports/stock-movements/: the stock ledger across all books, newest first."""

    permission_classes = [IsAdminUser]
    serializer_class = StockMovementSerializer
    filterset_class = StockMovementFilter

    def get_queryset(self):
        return selectors.stock_movement_queryset()

    @extend_schema(
        parameters=[csv_format_parameter()],
        responses=csv_or_json(StockMovementSerializer(many=True)),
    )
    def list(self, request, *args, **kwargs):
        """Filtered by book, reason, who and days; `?format=csv` answers the whole filtered ledger as a
        CSV file (not paged)."""
        if not self.wants_csv():
            return super().list(request, *args, **kwargs)
        rows = selectors.stock_movement_csv_rows(self.filter_queryset(self.get_queryset()))
        return csv_response(
            filename="stock-movements.csv", header=selectors.STOCK_LEDGER_CSV_HEADER, rows=rows
        )


class PreferencesViewSet(viewsets.GenericViewSet):
    """/api/users/me/preferences/: the caller's preferences (the defaults until they change one)."""

    serializer_class = PreferencesSerializer
    permission_classes = [IsAuthenticated]

    def retrieve(self, request):
        return Response(self.get_serializer(selectors.preferences_for(user=request.user)).data)

    @extend_schema(
        request=PreferencesUpdateSerializer,
        responses=PreferencesSerializer,
        description="Changes the preferences sent; an unknown genre slug is a 400 and changes nothing.",
    )
    def partial_update(self, request):
        payload = PreferencesUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        preferences = services.preferences_update(user=request.user, **payload.validated_data)
        return Response(self.get_serializer(preferences).data)

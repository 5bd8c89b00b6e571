"""Review endpoints: anyone reads a book's reviews; a customer who bought it writes one; the owner edits,
the owner or staff soft-deletes."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from catalog.selectors import book_get_active
from core.schema import refusal

from . import selectors, services
from .models import Review
from .serializers import ReviewSerializer

NOT_YOURS = refusal(
    "permission_denied", description="Only the review's author may do this (staff may delete)."
)


class BookReviewViewSet(viewsets.GenericViewSet):
    """/api/books/{book_id}/reviews/: anyone reads a book's reviews; a customer who bought it posts one."""

    serializer_class = ReviewSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    queryset = Review.objects.none()  # for the schema; the rows come from the selector

    def list(self, request, book_id=None):
        book = book_get_active(book_id=int(book_id))
        page = self.paginate_queryset(selectors.review_list_for_book(book_id=book.pk))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        responses={
            201: ReviewSerializer,
            403: refusal("not_purchased", description="No paid (or later) order of yours holds this book."),
            409: refusal("duplicate", description="You have reviewed this book already."),
        }
    )
    def create(self, request, book_id=None):
        """Needs a paid (or later) order containing the book (403 `not_purchased`); one review per user and
        book (409 `duplicate`). After the owner deleted their review, posting again rewrites that same
        review; one removed by staff stays removed."""
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        review = services.review_create(user=request.user, book_id=int(book_id), **payload.validated_data)
        review = selectors.review_get_visible(review_id=review.pk)
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(viewsets.GenericViewSet):
    """/api/reviews/{id}/: the owner edits; the owner or staff soft-deletes; anyone else gets 403."""

    serializer_class = ReviewSerializer
    permission_classes = [IsAuthenticated]
    queryset = Review.objects.none()

    @extend_schema(responses={200: ReviewSerializer, 403: NOT_YOURS})
    def partial_update(self, request, pk=None):
        payload = self.get_serializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        review = services.review_update(actor=request.user, review_id=int(pk), **payload.validated_data)
        return Response(self.get_serializer(selectors.review_get_visible(review_id=review.pk)).data)

    @extend_schema(responses={204: None, 403: NOT_YOURS})
    def destroy(self, request, pk=None):
        services.review_delete(actor=request.user, review_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

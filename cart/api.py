"""Cart endpoints: the caller's own cart only; another user's line is simply not found."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.schema import refusal

from . import selectors, services
from .selectors import CartLine
from .serializers import (
    CartItemCreateSerializer,
    CartItemUpdateSerializer,
    CartLineSerializer,
    CartSerializer,
)

INSUFFICIENT_STOCK = refusal(
    "insufficient_stock", description="More copies than in stock; `books` says how many."
)


def _line(item) -> dict:
    return CartLineSerializer(CartLine(item=item, line_total=item.book.price * item.quantity)).data


class CartViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CartSerializer)
    def retrieve(self, request):
        return Response(CartSerializer(selectors.cart_view(user=request.user)).data)

    @extend_schema(responses={204: None})
    def clear(self, request):
        services.cart_clear(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CartItemViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CartItemCreateSerializer,
        responses={
            201: CartLineSerializer,
            404: refusal("not_found", description="No such book in the catalog."),
            409: INSUFFICIENT_STOCK,
        },
    )
    def create(self, request):
        payload = CartItemCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.cart_add_book(user=request.user, **payload.validated_data)
        return Response(_line(item), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CartItemUpdateSerializer,
        responses={
            200: CartLineSerializer,
            404: refusal("not_found", description="No such line in your cart, or its book left the catalog."),
            409: INSUFFICIENT_STOCK,
        },
    )
    def partial_update(self, request, pk=None):
        payload = CartItemUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.cart_update_item(user=request.user, item_id=int(pk), **payload.validated_data)
        return Response(_line(item))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.cart_remove_item(user=request.user, item_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

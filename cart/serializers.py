from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from core.limits import MAX_ID

from .services import MAX_LINE_QUANTITY


class CartBookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    stock = serializers.IntegerField()


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.id")
    book = serializers.SerializerMethodField()
    quantity = serializers.IntegerField(source="item.quantity")
    # Output only, and unbounded: a line or cart may be worth more than an order can hold (checkout refuses it).
    line_total = serializers.DecimalField(max_digits=None, decimal_places=2)

    def get_book(self, line) -> CartBookSerializer:
        book = line.item.book
        return CartBookSerializer(
            {"id": book.id, "title": book.title, "price": book.price, "stock": line.available}
        ).data


class CartSerializer(serializers.Serializer):
    items = CartLineSerializer(many=True, source="lines")
    item_count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=None, decimal_places=2)


@extend_schema_serializer(
    examples=[OpenApiExample("Two copies of book 1", request_only=True, value={"book_id": 1, "quantity": 2})]
)
class CartItemCreateSerializer(serializers.Serializer):
    book_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY, default=1)


class CartItemUpdateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)

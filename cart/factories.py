import factory

from accounts.factories import UserFactory
from catalog.factories import BookFactory

from .models import Cart, CartItem


class CartFactory(factory.django.DjangoModelFactory):
    """One cart per user: asking again for the same user returns the existing cart."""

    class Meta:
        model = Cart
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem

    cart = factory.SubFactory(CartFactory)
    book = factory.SubFactory(BookFactory)
    quantity = 1

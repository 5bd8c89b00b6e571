"""The wishlist page's "Add to cart": the cart app's action, coming back to the wishlist."""

import pytest
from django.urls import reverse

from cart.models import CartItem
from catalog import services
from catalog.factories import BookFactory
from catalog.models import WishlistItem

pytestmark = pytest.mark.django_db

WISHLIST = reverse("catalog:wishlist")


def wished(user) -> list[int]:
    return list(WishlistItem.objects.filter(user=user).values_list("book_id", flat=True))


def test_add_to_cart_and_remove_from_the_wishlist_page_come_back_to_it(client, user):
    book = BookFactory(title="Dune", stock=3)
    services.wishlist_add(user=user, book_id=book.pk)
    client.force_login(user)

    added = client.post(reverse("cart:add"), {"book_id": book.pk, "quantity": "1", "next": WISHLIST})
    removed = client.post(reverse("catalog:wishlist_remove", args=[book.pk]), {"next": WISHLIST})

    assert added.url == WISHLIST and removed.url == WISHLIST
    assert list(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity")) == [(book.pk, 1)]
    assert wished(user) == []

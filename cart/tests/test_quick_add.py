"""Quick add-to-cart from a catalog card: one copy, back to the page the card was on, without JavaScript."""

import pytest
from django.urls import reverse

from cart.models import CartItem
from catalog.factories import BookFactory

pytestmark = pytest.mark.django_db

HOME = reverse("catalog:home")


def _quick_add(client, book, next_url):
    form = client.get(next_url).content.decode().split('class="book-card__add"')[1].split("</form>")[0]
    assert (
        f'name="book_id" value="{book.pk}"' in form
        and f'name="next" value="{next_url.replace("&", "&amp;")}"' in form
    )
    return client.post(reverse("cart:add"), {"book_id": book.pk, "quantity": 1, "next": next_url})


def test_quick_add_puts_one_copy_in_the_account_cart_and_goes_back(client, user):
    book = BookFactory(title="On the Shelf", stock=3)
    client.force_login(user)

    response = _quick_add(client, book, f"{HOME}?ordering=title&page=1")

    assert response.status_code == 302 and response.url == f"{HOME}?ordering=title&page=1"
    assert list(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity")) == [(book.pk, 1)]
    assert "Added “On the Shelf” to your cart." in client.get(response.url).content.decode()


def test_quick_add_works_for_anonymous_shoppers_too(client):
    book = BookFactory(title="On the Shelf", stock=3)

    response = _quick_add(client, book, HOME)

    assert response.status_code == 302 and response.url == HOME
    assert [line.available for line in client.get(reverse("cart:detail")).context["cart"].lines] == [3]


def test_quick_add_of_a_title_sold_out_meanwhile_changes_nothing(client, user):
    book = BookFactory(title="Last Copy", stock=1)
    client.force_login(user)
    book.stock = 0
    book.save()

    response = client.post(reverse("cart:add"), {"book_id": book.pk, "quantity": 1, "next": HOME})

    assert response.status_code == 302 and response.url == HOME
    assert not CartItem.objects.filter(cart__user=user).exists()
    assert "Your cart was not changed." in client.get(HOME).content.decode()

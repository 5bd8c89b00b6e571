"""Merging an anonymous session cart into the user's cart at login (service level)."""

import pytest

from cart.factories import CartItemFactory
from cart.models import CartItem
from cart.services import MAX_LINE_QUANTITY, cart_merge
from catalog.factories import BookFactory
from catalog.services import book_deactivate

pytestmark = pytest.mark.django_db


def _lines(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity"))


def test_merge_adds_new_lines_and_tops_up_existing_ones(user):
    kept = CartItemFactory(cart__user=user, book=BookFactory(stock=10), quantity=2)
    new = BookFactory(stock=10)

    notices = cart_merge(user=user, lines={kept.book_id: 3, new.id: 1})

    assert notices == []
    assert _lines(user) == {kept.book_id: 5, new.id: 1}


def test_merge_caps_lines_at_stock_and_says_so(user):
    book = BookFactory(stock=4, title="Scarce")
    CartItemFactory(cart__user=user, book=book, quantity=3)

    notices = cart_merge(user=user, lines={book.id: 5})

    assert _lines(user) == {book.id: 4}
    assert notices == ["Only 4 of “Scarce” in stock; your cart holds 4."]


def test_merge_skips_removed_missing_and_sold_out_books(user):
    removed = BookFactory()
    book_deactivate(book=removed)
    sold_out = BookFactory(stock=0)

    notices = cart_merge(user=user, lines={removed.id: 1, 987654: 2, sold_out.id: 1})

    assert _lines(user) == {}
    assert len(notices) == 3


def test_merge_never_exceeds_the_line_maximum(user):
    book = BookFactory(stock=MAX_LINE_QUANTITY + 50)

    cart_merge(user=user, lines={book.id: MAX_LINE_QUANTITY + 10})

    assert _lines(user) == {book.id: MAX_LINE_QUANTITY}

"""The one rule every cart line obeys, in the account cart and the session cart alike."""

import pytest
from django.core.exceptions import ValidationError

from cart.services import MAX_LINE_QUANTITY, cart_book_get, cart_line_check
from catalog.exceptions import InsufficientStock
from catalog.factories import BookFactory
from core.errors import NotFound

pytestmark = pytest.mark.django_db


def test_returns_the_lines_new_quantity():
    book = BookFactory(stock=5)

    assert cart_line_check(book=book, quantity=2) == 2
    assert cart_line_check(book=book, quantity=2, in_cart=3) == 5


@pytest.mark.parametrize("quantity", [0, -1])
def test_at_least_one_copy_must_be_added(quantity):
    with pytest.raises(ValidationError) as raised:
        cart_line_check(book=BookFactory(stock=5), quantity=quantity, in_cart=3)

    assert raised.value.message_dict == {"quantity": ["Choose at least one copy."]}


def test_a_line_holds_at_most_the_line_limit():
    book = BookFactory(stock=MAX_LINE_QUANTITY * 2)

    assert cart_line_check(book=book, quantity=MAX_LINE_QUANTITY) == MAX_LINE_QUANTITY
    with pytest.raises(ValidationError):
        cart_line_check(book=book, quantity=1, in_cart=MAX_LINE_QUANTITY)


def test_more_than_the_shelf_holds_names_the_book():
    book = BookFactory(title="Rare", stock=3)

    with pytest.raises(InsufficientStock) as raised:
        cart_line_check(book=book, quantity=2, in_cart=2)

    assert raised.value.detail == "Only 3 of “Rare” in stock (your cart already holds 2)."
    assert raised.value.extra == {"books": [{"id": book.pk, "title": "Rare", "requested": 4, "available": 3}]}


def test_cart_book_get_refuses_removed_and_unknown_books():
    book = BookFactory()
    removed = BookFactory(is_active=False)

    assert cart_book_get(book_id=book.pk) == book
    for book_id in [removed.pk, 999999]:
        with pytest.raises(NotFound):
            cart_book_get(book_id=book_id)

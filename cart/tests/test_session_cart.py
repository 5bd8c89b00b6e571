"""The anonymous shopper's session cart: its lines, their rules, and its view."""

from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError

from cart import session_cart
from cart.models import CartItem
from catalog.exceptions import InsufficientStock
from catalog.factories import BookFactory
from catalog.models import Book
from core.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionStore()


def test_lines_are_kept_by_book_id(session):
    first, second = BookFactory(stock=5), BookFactory(stock=5)

    session_cart.session_cart_add(session=session, book_id=first.pk, quantity=2)
    session_cart.session_cart_add(session=session, book_id=second.pk, quantity=1)
    session_cart.session_cart_add(session=session, book_id=first.pk, quantity=1)

    assert session_cart.session_cart_lines(session=session) == {first.pk: 3, second.pk: 1}
    assert session_cart.session_cart_item_count(session=session) == 4
    assert not CartItem.objects.exists()


def test_add_obeys_the_cart_line_rule(session):
    book = BookFactory(stock=3)
    session_cart.session_cart_add(session=session, book_id=book.pk, quantity=2)

    with pytest.raises(InsufficientStock):
        session_cart.session_cart_add(session=session, book_id=book.pk, quantity=2)
    with pytest.raises(ValidationError):
        session_cart.session_cart_add(session=session, book_id=book.pk, quantity=0)
    with pytest.raises(NotFound):
        session_cart.session_cart_add(session=session, book_id=BookFactory(is_active=False).pk, quantity=1)

    assert session_cart.session_cart_lines(session=session) == {book.pk: 2}


def test_update_and_remove(session):
    book = BookFactory(stock=3)
    session_cart.session_cart_add(session=session, book_id=book.pk, quantity=1)

    session_cart.session_cart_update(session=session, book_id=book.pk, quantity=3)
    assert session_cart.session_cart_lines(session=session) == {book.pk: 3}
    with pytest.raises(InsufficientStock):
        session_cart.session_cart_update(session=session, book_id=book.pk, quantity=4)
    with pytest.raises(NotFound):
        session_cart.session_cart_update(session=session, book_id=book.pk + 1, quantity=1)
    assert session_cart.session_cart_lines(session=session) == {book.pk: 3}

    session_cart.session_cart_remove(session=session, book_id=book.pk)
    assert session_cart.session_cart_lines(session=session) == {}
    assert session_cart.SESSION_KEY not in session
    with pytest.raises(NotFound):
        session_cart.session_cart_remove(session=session, book_id=book.pk)


def test_view_has_the_account_carts_shape(session):
    first = BookFactory(price=Decimal("12.50"), stock=5)
    second = BookFactory(price=Decimal("3.35"), stock=5)
    session_cart.session_cart_add(session=session, book_id=first.pk, quantity=2)
    session_cart.session_cart_add(session=session, book_id=second.pk, quantity=3)

    cart = session_cart.session_cart_view(session=session)

    assert [(line.item.book, line.item.quantity, line.line_total) for line in cart.lines] == [
        (first, 2, Decimal("25.00")),
        (second, 3, Decimal("10.05")),
    ]
    assert [line.line_id for line in cart.lines] == [first.pk, second.pk]
    assert cart.item_count == 5
    assert cart.total == Decimal("35.05")


def test_view_drops_lines_of_deleted_books_and_keeps_removed_ones(session):
    kept, removed, deleted = BookFactory(), BookFactory(), BookFactory()
    for book in (kept, removed, deleted):
        session_cart.session_cart_add(session=session, book_id=book.pk, quantity=1)
    Book.objects.filter(pk=removed.pk).update(is_active=False)
    Book.objects.filter(pk=deleted.pk).delete()

    cart = session_cart.session_cart_view(session=session)

    assert [line.item.book_id for line in cart.lines] == [kept.pk, removed.pk]
    assert [line.available for line in cart.lines] == [kept.stock, 0]
    assert session_cart.session_cart_lines(session=session) == {kept.pk: 1, removed.pk: 1}

"""The database itself refuses negative stock and non-positive prices, whatever the code above it does.

Raw queryset updates skip every validator, so only the CHECK constraints can stop them; the order
services rely on getting an IntegrityError (not some other database error) from them.
"""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.factories import BookFactory
from catalog.models import Book

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [{"stock": -1}, {"price": Decimal("0.00")}, {"price": Decimal("-5.00")}],
    ids=["stock=-1", "price=0", "price=-5"],
)
def test_raw_update_breaking_a_check_constraint_raises_integrity_error(change):
    book = BookFactory(stock=3, price=Decimal("9.99"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(**change)

    book.refresh_from_db()
    assert (book.stock, book.price) == (3, Decimal("9.99"))


def test_stock_going_below_zero_through_an_f_expression_raises_integrity_error():
    book = BookFactory(stock=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(stock=F("stock") - 3)

    book.refresh_from_db()
    assert book.stock == 2


def test_stock_zero_and_smallest_price_are_allowed():
    book = BookFactory(stock=3)

    Book.objects.filter(pk=book.pk).update(stock=0, price=Decimal("0.01"))

    book.refresh_from_db()
    assert (book.stock, book.price) == (0, Decimal("0.01"))

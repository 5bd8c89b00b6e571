"""Concurrent writers against a real MariaDB: duplicates stay out, and a pre-booking racing a restock is
never left waiting on a title that is back."""

import pytest
from django.core import mail

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import PreBooking
from catalog.services import book_set_stock, prebooking_create
from tests_support.threads import race

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]


def test_double_submit_makes_one_prebooking():
    book = BookFactory(stock=0)
    customer = UserFactory()

    outcomes = race(*(lambda: prebooking_create(user=customer, book_id=book.pk) for _ in range(4)))

    assert sum(isinstance(outcome, PreBooking) for outcome in outcomes) == 1
    assert PreBooking.objects.filter(status="waiting").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_prebooking_racing_a_restock_is_never_left_waiting(attempt):
    book = BookFactory(stock=0)
    customer = UserFactory()
    mail.outbox.clear()

    prebooked, _ = race(
        lambda: prebooking_create(user=customer, book_id=book.pk),
        lambda: book_set_stock(book_id=book.pk, stock=5),
    )

    if isinstance(prebooked, PreBooking):  # it got in before the restock: it was notified
        assert PreBooking.objects.get().status == "notified"
        assert [message.to for message in mail.outbox] == [[customer.email]]
    else:  # the restock came first: refused as in stock, nothing recorded, nobody mailed
        assert prebooked.code == "in_stock"
        assert not PreBooking.objects.exists()
        assert mail.outbox == []

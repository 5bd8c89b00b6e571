"""Concurrent writers against a real MariaDB: the book's aggregates stay exact, duplicates stay out, and
a pre-booking racing a restock is never left waiting on a title that is back."""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import PreBooking, Review
from catalog.services import book_set_stock, prebooking_create, review_create
from core.errors import BusinessError

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]


def _race(*actions):
    """Run the actions at the same moment, each on its own connection; return results or errors."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            outcomes[index] = action()
        except BusinessError as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_reviews_keep_the_aggregates_exact(buy):
    book = BookFactory(stock=20)
    readers = UserFactory.create_batch(6)
    for reader in readers:
        buy(reader, book)
    ratings = [5, 4, 4, 3, 1, 2]

    outcomes = _race(
        *(
            lambda reader=reader, rating=rating: review_create(user=reader, book_id=book.pk, rating=rating)
            for reader, rating in zip(readers, ratings, strict=True)
        )
    )

    assert all(isinstance(outcome, Review) for outcome in outcomes), outcomes
    book.refresh_from_db()
    assert book.review_count == 6
    assert book.avg_rating == Decimal("3.17")


def test_double_submit_makes_one_review(buy):
    book = BookFactory()
    reader = UserFactory()
    buy(reader, book)

    outcomes = _race(*(lambda: review_create(user=reader, book_id=book.pk, rating=4) for _ in range(4)))

    assert sum(isinstance(outcome, Review) for outcome in outcomes) == 1
    assert sum(getattr(outcome, "code", None) == "duplicate" for outcome in outcomes) == 3
    assert Review.objects.count() == 1
    book.refresh_from_db()
    assert book.review_count == 1


def test_double_submit_makes_one_prebooking():
    book = BookFactory(stock=0)
    customer = UserFactory()

    outcomes = _race(*(lambda: prebooking_create(user=customer, book_id=book.pk) for _ in range(4)))

    assert sum(isinstance(outcome, PreBooking) for outcome in outcomes) == 1
    assert PreBooking.objects.filter(status="waiting").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_prebooking_racing_a_restock_is_never_left_waiting(attempt):
    book = BookFactory(stock=0)
    customer = UserFactory()
    mail.outbox.clear()

    prebooked, _ = _race(
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

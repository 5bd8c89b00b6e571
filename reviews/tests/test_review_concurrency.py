"""Concurrent review writers against a real MariaDB: the book's aggregates stay exact and a double
submit makes one review."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from reviews.models import Review
from reviews.services import review_create
from tests_support.threads import race

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]


def test_concurrent_reviews_keep_the_aggregates_exact(buy):
    book = BookFactory(stock=20)
    readers = UserFactory.create_batch(6)
    for reader in readers:
        buy(reader, book)
    ratings = [5, 4, 4, 3, 1, 2]

    outcomes = race(
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

    outcomes = race(*(lambda: review_create(user=reader, book_id=book.pk, rating=4) for _ in range(4)))

    assert sum(isinstance(outcome, Review) for outcome in outcomes) == 1
    assert sum(getattr(outcome, "code", None) == "duplicate" for outcome in outcomes) == 3
    assert Review.objects.count() == 1
    book.refresh_from_db()
    assert book.review_count == 1

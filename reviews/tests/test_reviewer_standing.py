"""`reviewer_standing`: what the book page offers a customer, in step with `review_create`'s rules."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from core.errors import Duplicate
from orders.models import OrderStatus
from reviews import services
from reviews.selectors import reviewer_standing

pytestmark = pytest.mark.django_db


def standing_of(user, book) -> tuple:
    standing = reviewer_standing(user=user, book_id=book.pk)
    return standing.can_review, standing.own_review, standing.removed_by_moderator, standing.has_purchased


def test_anonymous_may_not_review(django_assert_num_queries):
    book = BookFactory()

    with django_assert_num_queries(0):
        assert standing_of(AnonymousUser(), book) == (False, None, False, False)


@pytest.mark.parametrize(
    ("status", "may"),
    [
        (None, False),
        (OrderStatus.PENDING, False),
        (OrderStatus.CANCELLED, False),
        (OrderStatus.PAID, True),
        (OrderStatus.SHIPPED, True),
        (OrderStatus.DELIVERED, True),
    ],
)
def test_a_buyer_who_has_not_reviewed_may_review(user, buy, status, may):
    book = BookFactory()
    if status:
        buy(user, book, status=status)

    assert standing_of(user, book) == (may, None, False, may)


def test_an_author_may_edit_not_post_again_and_another_book_is_separate(user, buy):
    book, other = BookFactory(), BookFactory()
    buy(user, book, other)
    review = services.review_create(user=user, book_id=book.pk, rating=4)

    assert standing_of(user, book) == (False, review, False, True)
    assert standing_of(user, other) == (True, None, False, True)
    assert standing_of(UserFactory(), book) == (False, None, False, False)


def test_after_deleting_their_own_the_author_may_review_again(user, buy):
    book = BookFactory()
    buy(user, book)
    review = services.review_create(user=user, book_id=book.pk, rating=4)
    services.review_delete(actor=user, review_id=review.pk)

    assert standing_of(user, book) == (True, None, False, True)
    services.review_create(user=user, book_id=book.pk, rating=2)  # the service agrees


def test_after_a_moderator_removed_it_the_author_may_not(user, buy, staff):
    book = BookFactory()
    buy(user, book)
    review = services.review_create(user=user, book_id=book.pk, rating=1)
    services.review_delete(actor=staff, review_id=review.pk)

    assert standing_of(user, book) == (False, None, True, True)
    with pytest.raises(Duplicate):  # the service agrees
        services.review_create(user=user, book_id=book.pk, rating=2)

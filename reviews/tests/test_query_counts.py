"""The review list and the book page (with its reviews section) cost a fixed number of queries whatever
the number of reviews."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.services import book_rating_set
from reviews.models import Review

pytestmark = pytest.mark.django_db

PAGE_SIZES = [1, 7, 25]


@pytest.fixture
def book():
    return BookFactory()


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_review_list(api_client, book, django_assert_num_queries, page_size):
    Review.objects.bulk_create(Review(user=UserFactory(), book=book, rating=4) for _ in range(30))

    with django_assert_num_queries(3):  # the book, the count, the page (authors joined in)
        response = api_client.get(f"/api/books/{book.pk}/reviews/", {"page_size": page_size})

    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("reviews", [0, 1, 9, 30])
def test_book_page(client, book, django_assert_num_queries, reviews):
    customer = UserFactory()
    Review.objects.bulk_create(Review(user=UserFactory(), book=book, rating=4) for _ in range(reviews))
    book_rating_set(book_id=book.pk, average=Decimal(4), count=reviews)  # as the review services keep it
    client.force_login(customer)

    # Session, user, cart count; the book (genre joined in, its review count too), the reviews' page
    # (authors joined in); the customer's own review and purchase (one query), wishlist entry and waiting
    # pre-booking (one query); the related books ("customers also bought", "more by this author": one
    # query each, genres joined in). A book without reviews has no page of them to read.
    with django_assert_num_queries(9 if reviews else 8):
        response = client.get(f"/books/{book.pk}/")

    assert len(response.context["reviews"]) == min(reviews, 10)

"""Review moderation in the Django admin goes through the review services, so ratings follow."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from reviews.models import Review
from reviews.services import review_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


@pytest.fixture
def reviewed_book(buy):
    book = BookFactory(stock=5)
    reviews = []
    for rating in (5, 1):
        reader = UserFactory()
        buy(reader, book)
        reviews.append(review_create(user=reader, book_id=book.pk, rating=rating))
    return book, reviews


def _act(client, action, reviews):
    return client.post(
        "/admin/reviews/review/",
        {"action": action, "_selected_action": [review.pk for review in reviews]},
    )


def test_remove_then_restore(client, moderator, reviewed_book):
    book, (_good, spam) = reviewed_book

    response = _act(client, "remove_reviews", [spam])

    assert response.status_code == 302
    spam.refresh_from_db()
    assert spam.deleted_at is not None and spam.deleted_by == moderator
    book.refresh_from_db()
    assert (book.avg_rating, book.review_count) == (Decimal("5.00"), 1)
    removed = client.get("/admin/reviews/review/?visible=no")
    assert removed.status_code == 200 and removed.context["cl"].result_count == 1

    _act(client, "restore_reviews", [spam])

    spam.refresh_from_db()
    assert spam.deleted_at is None and spam.deleted_by is None
    book.refresh_from_db()
    assert (book.avg_rating, book.review_count) == (Decimal("3.00"), 2)


def test_removing_an_already_removed_review_changes_nothing(client, moderator, reviewed_book):
    book, (good, spam) = reviewed_book
    _act(client, "remove_reviews", [spam])
    spam.refresh_from_db()
    removed_at = spam.deleted_at

    _act(client, "remove_reviews", [spam, good])

    spam.refresh_from_db()
    assert spam.deleted_at == removed_at
    book.refresh_from_db()
    assert (book.avg_rating, book.review_count) == (None, 0)


def test_admin_cannot_add_or_hard_delete_reviews(client, moderator, reviewed_book):
    _book, (good, _spam) = reviewed_book

    assert client.get("/admin/reviews/review/add/").status_code == 403
    assert client.post(f"/admin/reviews/review/{good.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Review.objects.count() == 2
    assert client.get(f"/admin/reviews/review/{good.pk}/change/").status_code == 200


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_admin_book_search_uses_the_catalog_search(client, moderator):
    BookFactory(title="The Hobbit")
    BookFactory(title="Dune", isbn="9780441013593")

    by_isbn = client.get("/admin/catalog/book/", {"q": "0441013597"})
    by_word = client.get("/admin/catalog/book/", {"q": "hobbit"})

    assert [book.title for book in by_isbn.context["cl"].result_list] == ["Dune"]
    assert [book.title for book in by_word.context["cl"].result_list] == ["The Hobbit"]

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


def test_the_list_shows_rating_excerpt_book_and_author(client, moderator, buy):
    book = BookFactory(title="Dune", author="Frank Herbert", stock=5)
    reader = UserFactory(email="reader@example.com")
    buy(reader, book)
    review_create(user=reader, book_id=book.pk, rating=4, text="Sand,\n spice and " + "worms " * 40)

    page = client.get("/admin/reviews/review/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Sand, spice and worms worms" in html and "…" in html
    assert "Dune (Frank Herbert)" in html and "reader@example.com" in html
    assert [str(column["text"]) for column in page.context["result_headers"]][1:6] == [
        "ID",
        "rating",
        "text",
        "book",
        "author",
    ]


def test_the_review_page_removes_and_restores_through_the_services(client, moderator, reviewed_book):
    book, (_good, spam) = reviewed_book
    page = f"/admin/reviews/review/{spam.pk}/change/"

    shown = client.get(page)
    removed = client.post(f"/admin/reviews/review/{spam.pk}/remove/")

    assert b"Remove this review" in shown.content
    assert removed.status_code == 302 and removed["Location"] == page
    spam.refresh_from_db()
    book.refresh_from_db()
    assert spam.deleted_by == moderator and (book.avg_rating, book.review_count) == (Decimal("5.00"), 1)
    assert b"Restore this review" in client.get(page).content

    client.post(f"/admin/reviews/review/{spam.pk}/restore/")

    spam.refresh_from_db()
    book.refresh_from_db()
    assert spam.deleted_at is None and (book.avg_rating, book.review_count) == (Decimal("3.00"), 2)


def test_removing_twice_says_why_and_changes_nothing(client, moderator, reviewed_book):
    _book, (_good, spam) = reviewed_book
    client.post(f"/admin/reviews/review/{spam.pk}/remove/")
    spam.refresh_from_db()
    removed_at = spam.deleted_at

    again = client.post(f"/admin/reviews/review/{spam.pk}/remove/", follow=True)

    assert "No such review." in again.content.decode()
    spam.refresh_from_db()
    assert spam.deleted_at == removed_at


def test_the_buttons_only_answer_post_and_staff_who_may_change(client, reviewed_book):
    _book, (_good, spam) = reviewed_book
    viewer = UserFactory(is_staff=True)
    client.force_login(viewer)

    assert client.post(f"/admin/reviews/review/{spam.pk}/remove/").status_code == 403
    spam.refresh_from_db()
    assert spam.deleted_at is None
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(f"/admin/reviews/review/{spam.pk}/remove/").status_code == 405

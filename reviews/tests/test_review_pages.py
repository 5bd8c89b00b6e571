"""Reviews on the book page through Django's test client: the list, who gets the form, posting, editing
and deleting through `catalog.services`; refusals are messages (or the 403/404 the service says) and
change nothing; bad input never 500s."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book
from catalog.services import book_rating_set
from catalog.tests.pages import book_url, csrf_client, login_url, message_texts
from orders.models import OrderStatus
from reviews import services
from reviews.models import Review

pytestmark = pytest.mark.django_db


def create_url(book) -> str:
    return reverse("reviews:create", args=[book.pk])


def aggregates(book) -> tuple[Decimal | None, int]:
    book.refresh_from_db()
    return book.avg_rating, book.review_count


@pytest.fixture
def buyer(buy):
    """A customer with a paid order of the returned book, logged in on the returned client."""
    customer, book = UserFactory(username="reader"), BookFactory(title="Dune")
    buy(customer, book)
    client = Client()
    client.force_login(customer)
    return customer, book, client


def review_by(buy, book, *, username: str, rating: int, text: str = "", days_ago: int = 0) -> Review:
    customer = UserFactory(username=username)
    buy(customer, book)
    review = services.review_create(user=customer, book_id=book.pk, rating=rating, text=text)
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return review


# ---- the list -------------------------------------------------------------------------------------


def test_book_page_lists_visible_reviews_newest_first_with_the_average(client, buy):
    book = BookFactory(title="Dune")
    review_by(buy, book, username="old_reader", rating=2, text="Too much sand.", days_ago=3)
    review_by(buy, book, username="new_reader", rating=5, text="A classic.\nRead it twice.", days_ago=1)
    gone = review_by(buy, book, username="gone_reader", rating=1, text="Deleted words.")
    services.review_delete(actor=gone.user, review_id=gone.pk)

    response = client.get(book_url(book))

    html = response.content.decode()
    assert response.status_code == 200
    assert [review.user.username for review in response.context["reviews"]] == ["new_reader", "old_reader"]
    assert html.index("new_reader") < html.index("old_reader")
    assert "Deleted words." not in html and "gone_reader" not in html
    assert "<p>A classic.<br>Read it twice.</p>" in html
    assert html.count("Verified purchase") == 2
    assert "Rated 5 out of 5" in html and "Rated 2 out of 5" in html
    assert '<span class="rating__stars" aria-hidden="true">★★☆☆☆</span>' in html
    assert "Rated</span> 3.5" in html and "(2 reviews)" in html
    assert '<span class="visually-hidden">Review by </span>new_reader' in html


def test_reviews_come_ten_a_page(client):
    book = BookFactory()
    customers = UserFactory.create_batch(12)
    Review.objects.bulk_create(
        Review(
            user=customer, book=book, rating=4, text=f"Review {n}", created_at=timezone.now() - timedelta(n)
        )
        for n, customer in enumerate(customers)
    )
    book_rating_set(book_id=book.pk, average=Decimal(4), count=12)  # as the review services keep it

    first = client.get(book_url(book))
    second = client.get(book_url(book), {"page": "2"})
    odd = client.get(book_url(book), {"page": "x"})

    assert [r.text for r in first.context["reviews"]] == [f"Review {n}" for n in range(10)]
    assert [r.text for r in second.context["reviews"]] == ["Review 10", "Review 11"]
    assert 'href="?page=2"' in first.content.decode()
    assert odd.status_code == 200 and len(odd.context["reviews"]) == 10


def test_a_book_without_reviews_says_so(client):
    response = client.get(book_url(BookFactory()))

    assert b"No reviews yet." in response.content
    assert not response.context["reviews"]


# ---- who gets the form ----------------------------------------------------------------------------


def test_buyer_who_has_not_reviewed_gets_the_form(buyer):
    _, book, client = buyer

    html = client.get(book_url(book)).content.decode()

    assert f'action="{create_url(book)}"' in html
    assert "<legend>Your rating</legend>" in html
    for value, label in [(1, "1 star: poor"), (3, "3 stars: good"), (5, "5 stars: excellent")]:
        assert f'type="radio" name="rating" value="{value}"' in html
        assert label in html
    assert 'name="text"' in html and 'maxlength="5000"' in html
    assert "Post review" in html


@pytest.mark.parametrize("status", [None, OrderStatus.PENDING, OrderStatus.CANCELLED])
def test_customer_who_has_not_bought_the_book_gets_no_form(client, user, buy, status):
    book = BookFactory()
    if status:
        buy(user, book, status=status)
    client.force_login(user)

    html = client.get(book_url(book)).content.decode()

    assert f'action="{create_url(book)}"' not in html
    assert "Customers who bought this book can review it." in html


def test_anonymous_shopper_gets_a_login_link_back_to_the_book(client):
    book = BookFactory()

    html = client.get(book_url(book)).content.decode()

    assert f'action="{create_url(book)}"' not in html
    assert f'href="{reverse("accounts:login")}?next=/books/{book.pk}/">Log in</a> to review' in html


def test_author_of_a_review_gets_edit_and_delete_instead_of_the_form(buyer):
    customer, book, client = buyer
    review = services.review_create(user=customer, book_id=book.pk, rating=4, text="Good.")

    html = client.get(book_url(book)).content.decode()

    assert f'action="{create_url(book)}"' not in html
    assert f'action="{reverse("reviews:update", args=[review.pk])}"' in html
    assert f'action="{reverse("reviews:delete", args=[review.pk])}"' in html
    assert 'value="4" id="id_rating_3" required checked' in html
    assert ">\nGood.</textarea>" in html
    assert f'<a href="#review-{review.pk}">listed below</a>' in html and f'id="review-{review.pk}"' in html


def test_review_removed_by_a_moderator_is_not_offered_again(buyer, staff):
    customer, book, client = buyer
    review = services.review_create(user=customer, book_id=book.pk, rating=1)
    services.review_delete(actor=staff, review_id=review.pk)

    html = client.get(book_url(book)).content.decode()

    assert f'action="{create_url(book)}"' not in html
    assert "Your review of this book was removed by a moderator." in html


# ---- posting --------------------------------------------------------------------------------------


def test_buyer_posts_a_verified_review_and_the_average_follows(buyer):
    customer, book, client = buyer

    response = client.post(create_url(book), {"rating": "4", "text": "  Spice and sand.  "})

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == ["Thank you! Your review has been published."]
    review = Review.objects.get()
    assert (review.user, review.rating, review.text, review.verified_purchase) == (
        customer,
        4,
        "Spice and sand.",
        True,
    )
    assert aggregates(book) == (Decimal("4.00"), 1)
    html = client.get(book_url(book)).content.decode()
    assert "Spice and sand." in html and "Verified purchase" in html and "(1 review)" in html


def test_review_without_text_is_fine(buyer):
    _, book, client = buyer

    client.post(create_url(book), {"rating": "5"})

    assert list(Review.objects.values_list("rating", "text")) == [(5, "")]


@pytest.mark.parametrize("status", [None, OrderStatus.PENDING, OrderStatus.CANCELLED])
def test_review_by_a_non_purchaser_is_refused_with_a_message(client, user, buy, status):
    book = BookFactory()
    if status:
        buy(user, book, status=status)
    client.force_login(user)

    response = client.post(create_url(book), {"rating": "5", "text": "Never read it."})

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == [
        "Your review was not posted. Only customers who bought this book (a paid order) can review it."
    ]
    assert not Review.objects.exists()
    assert aggregates(book) == (None, 0)


def test_second_review_is_refused_and_the_first_unchanged(buyer):
    _, book, client = buyer
    client.post(create_url(book), {"rating": "5", "text": "First."}, follow=True)

    response = client.post(create_url(book), {"rating": "1", "text": "Second."})

    assert response.status_code == 302
    assert message_texts(response) == [
        "Your review was not posted. You have already reviewed this book; edit your review instead."
    ]
    assert list(Review.objects.values_list("rating", "text")) == [(5, "First.")]
    assert aggregates(book) == (Decimal("5.00"), 1)


@pytest.mark.parametrize(
    "data",
    [
        {"rating": "0"},
        {"rating": "6"},
        {"rating": "x"},
        {"rating": ""},
        {"rating": "4.5"},
        {"rating": "-1"},
        {"rating": str(10**30)},
        {"text": "No rating."},
        {"rating": "4", "text": "x" * 5001},
        {"rating": "4", "text": "nul\x00byte"},
    ],
)
def test_bad_review_input_is_refused_with_a_message_never_a_500(buyer, data):
    _, book, client = buyer

    response = client.post(create_url(book), data)

    assert response.status_code == 302
    assert response.url == book_url(book)
    [text] = message_texts(response)
    assert text.startswith("Your review was not posted.")
    assert not Review.objects.exists()
    assert aggregates(book) == (None, 0)


def test_rating_error_names_the_field(buyer):
    _, book, client = buyer

    response = client.post(create_url(book), {"rating": "6"})

    assert message_texts(response) == [
        "Your review was not posted. Your rating: Choose a rating from 1 to 5 stars."
    ]


def test_anonymous_post_is_sent_to_log_in_and_back_to_the_book(client):
    book = BookFactory()

    response = client.post(create_url(book), {"rating": "5"})

    assert response.status_code == 302
    assert response.url == login_url(book_url(book))
    assert not Review.objects.exists()


def test_review_post_needs_post(buyer):
    _, book, client = buyer

    assert client.get(create_url(book), {"rating": "5"}).status_code == 405
    assert not Review.objects.exists()


def test_review_post_enforces_csrf(buy):
    customer, book = UserFactory(), BookFactory()
    buy(customer, book)
    client, token = csrf_client(user=customer, book=book)

    refused = client.post(create_url(book), {"rating": "5"})

    assert refused.status_code == 403
    assert not Review.objects.exists()

    accepted = client.post(create_url(book), {"rating": "5", "csrfmiddlewaretoken": token})

    assert accepted.status_code == 302
    assert Review.objects.filter(user=customer, book=book).count() == 1


@pytest.mark.parametrize("which", ["removed", "unknown", "huge"])
def test_review_of_a_book_not_in_the_catalog_says_so(client, user, buy, which):
    removed = BookFactory()
    buy(user, removed)
    Book.objects.filter(pk=removed.pk).update(is_active=False)
    book_id = {"removed": removed.pk, "unknown": 999_999, "huge": 10**30}[which]
    client.force_login(user)

    response = client.post(f"/books/{book_id}/reviews/", {"rating": "5"})

    assert response.status_code == 302
    assert response.url == reverse("catalog:home")
    assert message_texts(response) == ["Your review was not posted. No such book in the catalog."]
    assert not Review.objects.exists()


def test_an_unsafe_next_is_ignored(buyer):
    _, book, client = buyer

    response = client.post(create_url(book), {"rating": "5", "next": "https://evil.example/"})

    assert response.url == book_url(book)


# ---- editing and deleting -------------------------------------------------------------------------


def test_author_edits_the_review_and_the_average_follows(buyer, buy):
    customer, book, client = buyer
    review_by(buy, book, username="other", rating=2)
    own = services.review_create(user=customer, book_id=book.pk, rating=4, text="Good.")

    response = client.post(
        reverse("reviews:update", args=[own.pk]),
        {"rating": "5", "text": "Better on a second read.", "next": book_url(book)},
    )

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == ["Your review has been updated."]
    own.refresh_from_db()
    assert (own.rating, own.text) == (5, "Better on a second read.")
    assert aggregates(book) == (Decimal("3.50"), 2)


def test_author_deletes_the_review_and_may_write_one_again(buyer):
    customer, book, client = buyer
    own = services.review_create(user=customer, book_id=book.pk, rating=4, text="Good.")

    response = client.post(reverse("reviews:delete", args=[own.pk]), {"next": book_url(book)})

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == ["Your review has been deleted."]
    own.refresh_from_db()
    assert own.deleted_at is not None and own.deleted_by == customer
    assert aggregates(book) == (None, 0)
    html = client.get(book_url(book)).content.decode()
    assert "Good." not in html
    assert f'action="{create_url(book)}"' in html


@pytest.mark.parametrize("action", ["update", "delete"])
def test_another_customers_review_is_refused_and_unchanged(buyer, buy, user, action):
    _, book, _ = buyer
    review = review_by(buy, book, username="author", rating=4, text="Mine.")
    client = Client()
    client.force_login(user)

    response = client.post(
        reverse(f"reviews:{action}", args=[review.pk]),
        {"rating": "1", "text": "Hacked.", "next": book_url(book)},
    )

    assert response.status_code == 302
    assert response.url == book_url(book)
    [text] = message_texts(response)
    assert text.endswith(("You can only change your own review.", "You can only delete your own review."))
    review.refresh_from_db()
    assert (review.rating, review.text, review.deleted_at) == (4, "Mine.", None)
    assert aggregates(book) == (Decimal("4.00"), 1)


def test_staff_may_delete_a_review_from_the_page_as_the_service_allows(buy, staff):
    book = BookFactory()
    review = review_by(buy, book, username="author", rating=1)
    client = Client()
    client.force_login(staff)

    response = client.post(reverse("reviews:delete", args=[review.pk]))

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.deleted_by == staff
    assert aggregates(book) == (None, 0)


@pytest.mark.parametrize("action", ["update", "delete"])
@pytest.mark.parametrize("which", ["deleted", "unknown", "huge"])
def test_a_missing_or_deleted_review_says_so(buyer, action, which):
    customer, book, client = buyer
    review = services.review_create(user=customer, book_id=book.pk, rating=3)
    services.review_delete(actor=customer, review_id=review.pk)
    review_id = {"deleted": review.pk, "unknown": 999_999, "huge": 10**30}[which]

    response = client.post(reverse(f"reviews:{action}", args=[review_id]), {"rating": "5"})

    assert response.status_code == 302
    assert response.url == reverse("catalog:home")
    [text] = message_texts(response)
    assert text.endswith("No such review.")
    review.refresh_from_db()
    assert review.rating == 3 and review.deleted_at is not None


@pytest.mark.parametrize("rating", ["0", "6", "x", ""])
def test_bad_edit_is_refused_with_a_message_and_changes_nothing(buyer, rating):
    customer, book, client = buyer
    own = services.review_create(user=customer, book_id=book.pk, rating=4, text="Good.")

    response = client.post(
        reverse("reviews:update", args=[own.pk]),
        {"rating": rating, "text": "New", "next": book_url(book)},
    )

    assert response.status_code == 302
    assert response.url == book_url(book)
    [text] = message_texts(response)
    assert text.startswith("Your review was not changed.")
    own.refresh_from_db()
    assert (own.rating, own.text) == (4, "Good.")


@pytest.mark.parametrize("action", ["update", "delete"])
def test_edit_and_delete_send_anonymous_shoppers_to_log_in_and_change_nothing(client, buy, action):
    book = BookFactory()
    review = review_by(buy, book, username="author", rating=4)

    response = client.post(
        reverse(f"reviews:{action}", args=[review.pk]), {"rating": "1", "next": book_url(book)}
    )

    assert response.status_code == 302
    assert response.url == login_url(book_url(book))
    review.refresh_from_db()
    assert (review.rating, review.deleted_at) == (4, None)


@pytest.mark.parametrize("action", ["update", "delete"])
def test_edit_and_delete_enforce_csrf(buy, action):
    customer, book = UserFactory(), BookFactory()
    buy(customer, book)
    review = services.review_create(user=customer, book_id=book.pk, rating=4)
    client, token = csrf_client(user=customer, book=book)
    url = reverse(f"reviews:{action}", args=[review.pk])

    refused = client.post(url, {"rating": "1"})

    assert refused.status_code == 403
    review.refresh_from_db()
    assert (review.rating, review.deleted_at) == (4, None)

    accepted = client.post(url, {"rating": "1", "csrfmiddlewaretoken": token})

    assert accepted.status_code == 302
    review.refresh_from_db()
    if action == "update":
        assert review.rating == 1
    else:
        assert review.deleted_at is not None


def test_a_new_review_shows_at_once_on_a_kept_book_page(buyer, settings, django_capture_on_commit_callbacks):
    """The reviews are kept with the book page's shell (catalog/page_cache.py) for every visitor; posting
    one changes the catalog's version (the book's rating), so no visitor sees the page without it."""
    settings.BOOK_LIST_CACHE_SECONDS = 30
    _, book, client = buyer
    anonymous = Client()
    assert "No reviews yet." in client.get(book_url(book)).content.decode()
    assert "No reviews yet." in anonymous.get(book_url(book)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(book), {"rating": 5, "text": "Spice must flow."})

    assert response.status_code == 302
    for visitor in (client, anonymous):
        html = visitor.get(book_url(book)).content.decode()
        assert "Spice must flow." in html and "No reviews yet." not in html
    assert f'action="{create_url(book)}"' not in client.get(book_url(book)).content.decode()

"""Reviews on the book page in a real Chromium: a buyer writes, edits and deletes their review among
others', and the book's average follows each step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from reviews import services
from reviews.models import Review
from tests_browser import screenshot
from tests_browser.shopper import review_book

pytestmark = pytest.mark.browser


def reviewed_by(buy, book, username: str, rating: int, text: str, days_ago: int) -> None:
    customer = UserFactory(username=username)
    buy(customer, book)
    review = services.review_create(user=customer, book_id=book.pk, rating=rating, text=text)
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


def test_buyer_writes_edits_and_deletes_a_review(page, browser_login, buy):
    book = BookFactory(
        title="The Left Hand of Darkness",
        author="Ursula K. Le Guin",
        description="An envoy on the winter planet Gethen.",
    )
    reviewed_by(buy, book, "genly", 5, "Cold world, warm book. The ending stays with you.", days_ago=9)
    reviewed_by(buy, book, "estraven", 2, "Slow going in the middle.", days_ago=2)
    reader = UserFactory(username="ada_reads")
    buy(reader, book)
    browser_login(reader)

    page.goto(f"/books/{book.pk}/")
    reviews = page.locator(".review-list > li")
    rating = page.locator(".book-detail__rating")
    expect(reviews).to_have_count(2)
    expect(reviews.first).to_contain_text("estraven")  # newest first
    expect(rating).to_contain_text("3.5")
    expect(rating).to_contain_text("(2 reviews)")

    review_book(page, rating=4, text="A thought experiment that reads like an adventure.")

    expect(reviews).to_have_count(3)
    expect(reviews.first).to_contain_text("ada_reads")
    expect(reviews.first).to_contain_text("Verified purchase")
    expect(reviews.first).to_contain_text("Rated 4 out of 5")
    expect(rating).to_contain_text("3.7")
    expect(rating).to_contain_text("(3 reviews)")
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    screenshot(page, "book-reviews")

    page.get_by_text("Edit your review").click()
    edit = page.get_by_role("form", name="Edit your review")
    expect(edit.get_by_label("4 stars")).to_be_checked()
    edit.get_by_label("2 stars").check()
    edit.get_by_label("Your review").fill("Better the second time, but still slow.")
    edit.get_by_role("button", name="Save changes").click()

    expect(page.locator(".messages")).to_contain_text("Your review has been updated")
    expect(reviews.first).to_contain_text("Better the second time")
    expect(rating).to_contain_text("3.0")

    page.get_by_role("button", name="Delete your review").click()

    expect(page.locator(".messages")).to_contain_text("Your review has been deleted")
    expect(reviews).to_have_count(2)
    expect(page.locator(".review-list")).not_to_contain_text("ada_reads")
    expect(rating).to_contain_text("3.5")
    expect(page.get_by_role("form", name="Write a review")).to_be_visible()
    book.refresh_from_db()
    assert (book.avg_rating, book.review_count) == (Decimal("3.50"), 2)
    assert Review.objects.get(user=reader).deleted_at is not None


def test_customer_who_did_not_buy_sees_no_form_and_anonymous_a_login_link(page, browser_login, live_server):
    book = BookFactory(title="Earthsea")
    page.goto(f"/books/{book.pk}/")

    page.locator(".reviews").get_by_role("link", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/books/{book.pk}/")
    browser_login(UserFactory())
    page.goto(f"/books/{book.pk}/")
    expect(page.get_by_text("Customers who bought this book can review it.")).to_be_visible()
    expect(page.get_by_role("form", name="Write a review")).to_have_count(0)

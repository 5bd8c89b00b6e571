"""The whole shopper journey in a real Chromium, with nothing stood in: the shop as a live server,
localstripe's Stripe.js in the page and localstripe's signed webhooks coming back to the shop. It ends
where a happy customer does: reviewing a book they bought."""

from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from catalog.factories import BookFactory
from catalog.models import Book
from orders.models import OrderStatus
from payments.models import PaymentStatus
from reviews.models import Review

from .shopper import open_book, review_book, shopper_journey

pytestmark = [pytest.mark.browser, pytest.mark.stripe]


def test_register_search_add_two_books_check_out_pay_and_review(page, stripe_live, mailoutbox):
    dune = BookFactory(title="Dune", author="Frank Herbert", price=Decimal("12.50"), stock=5)
    emma = BookFactory(title="Emma", author="Jane Austen", price=Decimal("3.35"), stock=4)
    BookFactory(title="Persuasion", author="Jane Austen", stock=2)  # found by the search, not bought

    journey = shopper_journey(page, books=[dune, emma], email="nora@example.com", username="nora")

    order = journey.order
    order.refresh_from_db()
    assert journey.user.email == "nora@example.com"
    assert order.status == OrderStatus.PAID
    assert order.total == Decimal("15.85")
    assert sorted(order.items.values_list("title", "quantity")) == [("Dune", 1), ("Emma", 1)]
    assert [(p.status, p.amount) for p in order.payments.all()] == [(PaymentStatus.SUCCEEDED, order.total)]
    assert [intent["status"] for intent in stripe_live.intents_for_order(order.pk)] == ["succeeded"]
    assert dict(Book.objects.values_list("title", "stock")) == {"Dune": 4, "Emma": 3, "Persuasion": 2}
    assert any(m.subject == f"Payment received for your order #{order.pk}" for m in mail.outbox)

    # The last step: back to a bought book's page to review it.
    open_book(page, query="Herbert", title="Dune")
    expect(page.locator(".book-detail__rating")).to_contain_text("No reviews yet")
    review_book(page, rating=5, text="The spice must flow. Worth every grain of sand.")

    review = page.locator(".review-list article").filter(has_text="nora")
    expect(review).to_contain_text("The spice must flow.")
    expect(review).to_contain_text("Verified purchase")
    expect(review).to_contain_text("Rated 5 out of 5")
    expect(page.locator(".book-detail__rating")).to_contain_text("5.0")
    expect(page.locator(".book-detail__rating")).to_contain_text("(1 review)")
    expect(page.get_by_role("form", name="Write a review")).to_have_count(0)
    assert list(
        Review.objects.values_list("user__username", "book__title", "rating", "verified_purchase")
    ) == [("nora", "Dune", 5, True)]
    dune.refresh_from_db()
    assert (dune.avg_rating, dune.review_count) == (Decimal("5.00"), 1)

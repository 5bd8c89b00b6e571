""" "Notify me" in a real Chromium: a shopper waits for a sold-out title, staff restock it (through the
same service as the API and the admin) and the shopper gets one email; a cancelled wait gets none."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.factories import UserFactory
from catalog import services
from catalog.factories import BookFactory
from catalog.models import PreBooking

pytestmark = pytest.mark.browser

WAITING = "We'll email you when it's back."


def test_notify_me_then_restock_sends_one_email(page, browser_login, mailoutbox):
    book = BookFactory(title="The Dispossessed", stock=0)
    reader, staff = UserFactory(email="shevek@example.com"), UserFactory(is_staff=True)
    browser_login(reader)

    page.goto(f"/books/{book.pk}/")
    buy_box = page.locator(".buy-box")
    expect(buy_box).to_contain_text("Out of stock")
    expect(buy_box.get_by_role("button", name="Add to cart")).to_have_count(0)
    buy_box.get_by_role("button", name="Notify me").click()

    expect(page.locator(".messages")).to_contain_text(
        "We'll email you when “The Dispossessed” is back in stock"
    )
    expect(buy_box).to_contain_text(WAITING)
    expect(buy_box.get_by_role("button", name="Notify me")).to_have_count(0)
    assert list(PreBooking.objects.values_list("user", "status")) == [(reader.pk, PreBooking.Status.WAITING)]
    assert mail.outbox == []

    services.book_set_stock(book_id=book.pk, stock=12, actor=staff, note="Reprint arrived")

    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["shevek@example.com"], "“The Dispossessed” is back in stock")
    ]
    page.reload()
    expect(buy_box).to_contain_text("In stock")
    expect(buy_box.get_by_role("button", name="Add to cart")).to_be_visible()
    expect(buy_box).not_to_contain_text(WAITING)
    assert PreBooking.objects.get().status == PreBooking.Status.NOTIFIED


def test_cancelled_wait_gets_no_email(page, browser_login, mailoutbox):
    book = BookFactory(title="Always Coming Home", stock=0)
    reader = UserFactory()
    browser_login(reader)

    page.goto(f"/books/{book.pk}/")
    page.get_by_role("button", name="Notify me").click()
    expect(page.locator(".buy-box")).to_contain_text(WAITING)
    page.get_by_role("button", name="Cancel notification").click()

    expect(page.locator(".messages")).to_contain_text("we will not email you")
    expect(page.get_by_role("button", name="Notify me")).to_be_visible()
    services.book_set_stock(book_id=book.pk, stock=2)
    assert mail.outbox == []
    assert PreBooking.objects.get().status == PreBooking.Status.CANCELLED

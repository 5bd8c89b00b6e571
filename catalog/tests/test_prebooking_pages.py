""" "Notify me" on the book page through Django's test client: pre-booking a sold-out title and
cancelling it through `catalog.services`; refusals are messages (or the 404 the service says) and change
nothing; the restock email follows from the pre-booking the page made."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.factories import UserFactory
from catalog import services
from catalog.factories import BookFactory
from catalog.models import PreBooking

from .pages import book_url, csrf_client, login_url, message_texts

pytestmark = pytest.mark.django_db

WAITING_TEXT = "We'll email you when it's back."


def notify_url(book_or_id) -> str:
    return reverse("catalog:prebooking_create", args=[getattr(book_or_id, "pk", book_or_id)])


def cancel_url(prebooking_or_id) -> str:
    return reverse("catalog:prebooking_cancel", args=[getattr(prebooking_or_id, "pk", prebooking_or_id)])


def statuses(user) -> list[str]:
    return list(PreBooking.objects.filter(user=user).order_by("pk").values_list("status", flat=True))


# ---- the book page --------------------------------------------------------------------------------


def test_sold_out_book_offers_notify_me(client, user):
    book = BookFactory(stock=0)
    client.force_login(user)

    html = client.get(book_url(book)).content.decode()

    assert f'action="{notify_url(book)}"' in html and ">Notify me</button>" in html
    assert WAITING_TEXT not in html


def test_book_in_stock_offers_no_notify_me(client, user):
    book = BookFactory(stock=3)
    client.force_login(user)

    html = client.get(book_url(book)).content.decode()

    # (The account menu links to the "Notify me list" on every page; no button offers it here.)
    assert f'action="{notify_url(book)}"' not in html and ">Notify me</button>" not in html


def test_sold_out_book_asks_anonymous_shoppers_to_log_in(client):
    book = BookFactory(stock=0)

    html = client.get(book_url(book)).content.decode()

    assert f'action="{notify_url(book)}"' not in html
    assert f'href="{login_url(book_url(book))}">Log in</a> and we will email you once it is back.' in html


def test_waiting_shopper_sees_so_with_a_cancel_button(client, user):
    book = BookFactory(stock=0)
    prebooking = services.prebooking_create(user=user, book_id=book.pk)
    client.force_login(user)

    html = client.get(book_url(book)).content.decode()

    assert WAITING_TEXT in html
    assert f'action="{cancel_url(prebooking)}"' in html and "Cancel notification" in html
    assert f'action="{notify_url(book)}"' not in html


def test_someone_elses_pre_booking_is_not_shown(client, user):
    book = BookFactory(stock=0)
    services.prebooking_create(user=UserFactory(), book_id=book.pk)
    client.force_login(user)

    html = client.get(book_url(book)).content.decode()

    assert WAITING_TEXT not in html and f'action="{notify_url(book)}"' in html


# ---- notify me ------------------------------------------------------------------------------------


def test_notify_me_creates_a_waiting_pre_booking_and_restock_emails_once(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    book = BookFactory(title="Dune", stock=0)
    client.force_login(user)

    response = client.post(notify_url(book))

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == ["We'll email you when “Dune” is back in stock."]
    assert statuses(user) == [PreBooking.Status.WAITING]
    assert WAITING_TEXT in client.get(book_url(book)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.book_set_stock(book_id=book.pk, stock=2)

    assert [message.to for message in mailoutbox] == [[user.email]]
    assert statuses(user) == [PreBooking.Status.NOTIFIED]


def test_notify_me_on_a_book_in_stock_is_refused(client, user, mailoutbox):
    book = BookFactory(stock=4)
    client.force_login(user)

    response = client.post(notify_url(book))

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == [
        "This title is in stock: add it to your cart instead of pre-booking it."
    ]
    assert not PreBooking.objects.exists()
    assert mailoutbox == []


def test_notify_me_twice_says_so_and_keeps_one_waiting(client, user):
    book = BookFactory(stock=0)
    client.force_login(user)
    client.post(notify_url(book), follow=True)

    response = client.post(notify_url(book))

    assert message_texts(response) == ["You are already waiting for this title."]
    assert statuses(user) == [PreBooking.Status.WAITING]


@pytest.mark.parametrize("which", ["removed", "unknown", "huge"])
def test_notify_me_for_a_book_not_in_the_catalog_says_so(client, user, which):
    removed = BookFactory(stock=0, is_active=False)
    book_id = {"removed": removed.pk, "unknown": 999_999, "huge": 10**30}[which]
    client.force_login(user)

    response = client.post(notify_url(book_id))

    assert response.status_code == 302
    assert response.url == reverse("catalog:home")
    assert message_texts(response) == ["No such book in the catalog."]
    assert not PreBooking.objects.exists()


def test_notify_me_sends_anonymous_shoppers_to_log_in_and_back(client):
    book = BookFactory(stock=0)

    response = client.post(notify_url(book))

    assert response.status_code == 302
    assert response.url == login_url(book_url(book))
    assert not PreBooking.objects.exists()


def test_notify_me_needs_post(client, user):
    book = BookFactory(stock=0)
    client.force_login(user)

    assert client.get(notify_url(book)).status_code == 405
    assert not PreBooking.objects.exists()


# ---- cancelling -----------------------------------------------------------------------------------


def test_cancel_stops_the_wait_and_offers_notify_me_again(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    book = BookFactory(stock=0)
    prebooking = services.prebooking_create(user=user, book_id=book.pk)
    client.force_login(user)

    response = client.post(cancel_url(prebooking), {"next": book_url(book)})

    assert response.status_code == 302
    assert response.url == book_url(book)
    assert message_texts(response) == ["Done: we will not email you when that title is back in stock."]
    assert statuses(user) == [PreBooking.Status.CANCELLED]
    assert f'action="{notify_url(book)}"' in client.get(book_url(book)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_set_stock(book_id=book.pk, stock=1)
    assert mailoutbox == []


@pytest.mark.parametrize("which", ["someone_elses", "unknown", "huge"])
def test_cancelling_someone_elses_or_a_missing_pre_booking_says_no_such_one(client, user, which):
    book = BookFactory(stock=0)
    someone = UserFactory()
    theirs = services.prebooking_create(user=someone, book_id=book.pk)
    prebooking_id = {"someone_elses": theirs.pk, "unknown": 999_999, "huge": 10**30}[which]
    client.force_login(user)

    response = client.post(cancel_url(prebooking_id))

    assert response.status_code == 302
    assert response.url == reverse("catalog:home")
    assert message_texts(response) == ["No such pre-booking."]
    assert statuses(someone) == [PreBooking.Status.WAITING]


def test_cancelling_a_notified_pre_booking_says_so_and_changes_nothing(client, user):
    book = BookFactory(stock=0)
    prebooking = services.prebooking_create(user=user, book_id=book.pk)
    services.book_set_stock(book_id=book.pk, stock=1)
    client.force_login(user)

    response = client.post(cancel_url(prebooking), {"next": book_url(book)})

    assert response.status_code == 302
    assert message_texts(response) == ["This pre-booking was already fulfilled: the title is back in stock."]
    assert statuses(user) == [PreBooking.Status.NOTIFIED]


def test_cancel_sends_anonymous_shoppers_to_log_in_and_changes_nothing(client, user):
    book = BookFactory(stock=0)
    prebooking = services.prebooking_create(user=user, book_id=book.pk)

    response = client.post(cancel_url(prebooking), {"next": book_url(book)})

    assert response.status_code == 302
    assert response.url == login_url(book_url(book))
    assert statuses(user) == [PreBooking.Status.WAITING]


def test_notify_me_and_cancel_enforce_csrf(user):
    book = BookFactory(stock=0)
    client, token = csrf_client(user=user, book=book)

    assert client.post(notify_url(book)).status_code == 403
    assert not PreBooking.objects.exists()
    assert client.post(notify_url(book), {"csrfmiddlewaretoken": token}).status_code == 302
    prebooking = PreBooking.objects.get(user=user)

    assert client.post(cancel_url(prebooking)).status_code == 403
    assert statuses(user) == [PreBooking.Status.WAITING]
    assert client.post(cancel_url(prebooking), {"csrfmiddlewaretoken": token}).status_code == 302
    assert statuses(user) == [PreBooking.Status.CANCELLED]
    assert not mail.outbox

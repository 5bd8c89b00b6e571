"""The "Notify me list" (/notify-me/): the titles a shopper waits for, each with a cancel button; and the
wishlist, which agrees with the book page on what was asked for already."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book, PreBooking
from catalog.services import prebooking_create, wishlist_add

pytestmark = pytest.mark.django_db

NOTIFY_ME = reverse("catalog:notify_me")
WISHLIST = reverse("catalog:wishlist")


def test_lists_the_waiting_titles_newest_first_with_cancel_buttons(client, user):
    first, second = BookFactory(title="First Wait", stock=0), BookFactory(title="Second Wait", stock=0)
    notified = BookFactory(title="Came Back", stock=0)
    withdrawn = BookFactory(title="Withdrawn", stock=0)
    waits = [prebooking_create(user=user, book_id=book.pk) for book in (first, second, notified, withdrawn)]
    PreBooking.objects.filter(pk=waits[2].pk).update(status=PreBooking.Status.NOTIFIED, waiting=None)
    Book.objects.filter(pk=withdrawn.pk).update(is_active=False)
    prebooking_create(user=UserFactory(), book_id=first.pk)
    client.force_login(user)

    response = client.get(NOTIFY_ME)

    html = response.content.decode()
    assert [p.book.title for p in response.context["prebookings"]] == ["Second Wait", "First Wait"]
    assert "Came Back" not in html and "Withdrawn" not in html
    for prebooking in waits[:2]:
        assert f'action="{reverse("catalog:prebooking_cancel", args=[prebooking.pk])}"' in html
    assert html.count(f'name="next" value="{NOTIFY_ME}"') == 2
    assert f'href="{NOTIFY_ME}">Notify me list</a>' in html  # in the account menu


def test_cancelling_from_the_list_stops_the_wait_and_comes_back(client, user):
    book = BookFactory(title="Sold Out", stock=0)
    prebooking = prebooking_create(user=user, book_id=book.pk)
    client.force_login(user)

    response = client.post(reverse("catalog:prebooking_cancel", args=[prebooking.pk]), {"next": NOTIFY_ME})

    assert response.status_code == 302 and response.url == NOTIFY_ME
    prebooking.refresh_from_db()
    assert prebooking.status == PreBooking.Status.CANCELLED
    page = client.get(NOTIFY_ME).content.decode()
    assert "You are not waiting for any book" in page and "we will not email you" in page


def test_someone_elses_wait_cannot_be_cancelled_from_here(client, user):
    prebooking = prebooking_create(user=UserFactory(), book_id=BookFactory(stock=0).pk)
    client.force_login(user)

    response = client.post(reverse("catalog:prebooking_cancel", args=[prebooking.pk]), {"next": NOTIFY_ME})

    assert response.status_code == 302
    prebooking.refresh_from_db()
    assert prebooking.status == PreBooking.Status.WAITING


def test_needs_a_login(client):
    response = client.get(NOTIFY_ME)

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_wishlist_offers_notify_me_only_for_titles_not_asked_about(client, user):
    asked, not_asked = BookFactory(title="Asked", stock=0), BookFactory(title="Not Asked", stock=0)
    for book in (asked, not_asked):
        wishlist_add(user=user, book_id=book.pk)
    prebooking = prebooking_create(user=user, book_id=asked.pk)
    client.force_login(user)

    html = client.get(WISHLIST).content.decode()

    assert f'action="{reverse("catalog:prebooking_create", args=[not_asked.pk])}"' in html
    assert f'action="{reverse("catalog:prebooking_create", args=[asked.pk])}"' not in html
    assert f'action="{reverse("catalog:prebooking_cancel", args=[prebooking.pk])}"' in html
    assert html.count("We'll email you when it's back.") == 1


def test_notify_me_from_the_wishlist_comes_back_to_it(client, user):
    book = BookFactory(title="Sold Out", stock=0)
    wishlist_add(user=user, book_id=book.pk)
    client.force_login(user)

    response = client.post(reverse("catalog:prebooking_create", args=[book.pk]), {"next": WISHLIST})

    assert response.status_code == 302 and response.url == WISHLIST
    assert PreBooking.objects.filter(user=user, book=book, status=PreBooking.Status.WAITING).count() == 1

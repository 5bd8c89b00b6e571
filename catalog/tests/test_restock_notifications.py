"""A title going from 0 to more copies, by any path, notifies its waiting pre-bookings: each waiting
customer gets exactly one email, after commit; cancelled and already-notified customers get nothing.
(A cancelled order bringing copies back: checkout/tests/test_order_cancel.py.)"""

import pytest
from django.core import mail
from django.db import transaction

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import Book, PreBooking, StockMovement
from catalog.services import (
    book_deactivate,
    book_set_stock,
    prebooking_cancel,
    prebooking_create,
    preferences_update,
    stock_adjust,
)
from notifications.models import EmailNotification

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_room():
    """A sold-out book with two waiting customers, one who cancelled and one notified earlier."""
    book = BookFactory(stock=0, title="Dune")
    waiting = UserFactory.create_batch(2)
    for customer in waiting:
        prebooking_create(user=customer, book_id=book.pk)
    cancelled = UserFactory()
    prebooking_cancel(user=cancelled, prebooking_id=prebooking_create(user=cancelled, book_id=book.pk).pk)
    notified = UserFactory()
    PreBooking.objects.create(user=notified, book=book, status="notified", waiting=None)
    return book, waiting


def _assert_notified_exactly(waiting, book):
    assert sorted(message.to[0] for message in mail.outbox) == sorted(c.email for c in waiting)
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert all("Dune" in message.subject for message in mail.outbox)
    assert set(PreBooking.objects.filter(user__in=waiting).values_list("status", flat=True)) == {"notified"}
    assert sorted(PreBooking.objects.values_list("status", flat=True)) == [
        "cancelled",
        "notified",
        "notified",
        "notified",
    ]
    assert not PreBooking.objects.filter(status="waiting", book=book).exists()


def test_stock_endpoint(waiting_room, staff_client, django_capture_on_commit_callbacks):
    book, waiting = waiting_room

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.patch(f"/api/books/{book.pk}/stock/", {"stock": 3}, format="json")

    assert response.status_code == 200, response.content
    _assert_notified_exactly(waiting, book)
    assert "Dune" in mail.outbox[0].body and mail.outbox[0].alternatives


def test_admin_change_form(waiting_room, client, django_capture_on_commit_callbacks):
    book, waiting = waiting_room
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = {
        "title": book.title,
        "author": book.author,
        "isbn": book.isbn,
        "description": book.description,
        "price": "10.00",
        "stock": "4",
        "stock_reason": "restock",
        "low_stock_threshold": "5",
        "genre": book.genre_id,
        "stock_movements-TOTAL_FORMS": "0",
        "stock_movements-INITIAL_FORMS": "0",
        "stock_movements-MIN_NUM_FORMS": "0",
        "stock_movements-MAX_NUM_FORMS": "1000",
        "price_changes-TOTAL_FORMS": "0",
        "price_changes-INITIAL_FORMS": "0",
        "price_changes-MIN_NUM_FORMS": "0",
        "price_changes-MAX_NUM_FORMS": "1000",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/catalog/book/{book.pk}/change/", form)

    assert response.status_code == 302, response.content
    book.refresh_from_db()
    assert book.stock == 4
    _assert_notified_exactly(waiting, book)


def test_bulk_import(waiting_room, tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    book, waiting = waiting_room
    csv_file = tmp_path / "books.csv"
    csv_file.write_text(
        "isbn,title,author,description,price,stock,genre\n"
        f"{book.isbn},Dune,{book.author},,10.00,7,{book.genre.slug}\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_books", str(csv_file), "--no-progress")

    book.refresh_from_db()
    assert book.stock == 7
    _assert_notified_exactly(waiting, book)
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.reason) == (7, 7, "import")


def test_only_once_per_restock(waiting_room, django_capture_on_commit_callbacks):
    book, waiting = waiting_room

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(book_id=book.pk, delta=2, reason="adjustment")
        stock_adjust(book_id=book.pk, delta=5, reason="adjustment")  # 2 → 7: not a restock
        stock_adjust(book_id=book.pk, delta=-7, reason="adjustment")
        stock_adjust(book_id=book.pk, delta=1, reason="adjustment")  # 0 → 1 again: nobody is waiting

    assert len(mail.outbox) == 2
    _assert_notified_exactly(waiting, book)


def test_stock_changes_that_are_not_a_restock_notify_nobody(django_capture_on_commit_callbacks):
    book = BookFactory(stock=0)
    prebooking_create(user=UserFactory(), book_id=book.pk)

    with django_capture_on_commit_callbacks(execute=True):
        book_set_stock(book_id=book.pk, stock=0)

    assert mail.outbox == []
    assert PreBooking.objects.get().status == "waiting"


def test_other_titles_waiting_lists_are_untouched(waiting_room, django_capture_on_commit_callbacks):
    book, _waiting = waiting_room
    other_book = BookFactory(stock=0)
    other_customer = UserFactory()
    prebooking_create(user=other_customer, book_id=other_book.pk)

    with django_capture_on_commit_callbacks(execute=True):
        book_set_stock(book_id=book.pk, stock=1)

    assert other_customer.email not in [m.to[0] for m in mail.outbox]
    assert PreBooking.objects.get(user=other_customer).status == "waiting"


def test_rolled_back_restock_sends_nothing(waiting_room, django_capture_on_commit_callbacks):
    book, waiting = waiting_room

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        book_set_stock(book_id=book.pk, stock=5)
        raise RuntimeError("the surrounding work failed")

    assert callbacks == []
    assert mail.outbox == []
    book.refresh_from_db()
    assert book.stock == 0
    assert PreBooking.objects.filter(user__in=waiting, status="waiting").count() == 2
    assert not StockMovement.objects.filter(book=book).exists()


def test_restocking_a_book_removed_from_the_catalog_emails_nobody(django_capture_on_commit_callbacks):
    book = BookFactory(stock=0, title="Dune")
    prebooking_create(user=UserFactory(), book_id=book.pk)
    Book.objects.filter(pk=book.pk).update(is_active=False)  # removed behind the services' back

    with django_capture_on_commit_callbacks(execute=True):
        book_set_stock(book_id=book.pk, stock=5)

    assert mail.outbox == []
    assert PreBooking.objects.get().status == "waiting"


def test_removing_a_book_from_the_catalog_cancels_its_waiting_prebookings(django_capture_on_commit_callbacks):
    book = BookFactory(stock=0, title="Dune")
    waiting = prebooking_create(user=UserFactory(), book_id=book.pk)

    with django_capture_on_commit_callbacks(execute=True):
        book_deactivate(book=book)
        book_set_stock(book_id=book.pk, stock=5)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waiting, waiting.cancelled_at is not None) == ("cancelled", None, True)
    assert mail.outbox == []


def test_the_alert_links_to_the_book_in_the_shops_layout(
    waiting_room, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://books.example.com"
    book, _waiting = waiting_room

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(book_id=book.pk, delta=3, reason="restock")

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    book_url = f"https://books.example.com/books/{book.pk}/"
    assert f"The book: {book_url}" in message.body and f'href="{book_url}"' in html
    assert f"at ${book.price}" in message.body  # the site's money format
    assert "❦</span> Bookstore</a>" in html and "\n-- \n" in message.body  # the shared layout
    assert "Restock alerts can be turned off" in message.body


def test_no_alert_for_a_customer_who_turned_restock_alerts_off(
    waiting_room, django_capture_on_commit_callbacks
):
    book, waiting = waiting_room
    quiet, told = waiting
    preferences_update(user=quiet, restock_alerts=False)

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(book_id=book.pk, delta=3, reason="restock")

    assert [message.to for message in mail.outbox] == [[told.email]]
    # Their pre-booking is fulfilled all the same: the book is back, they just asked not to be mailed.
    assert PreBooking.objects.get(user=quiet, book=book).status == "notified"
    assert not EmailNotification.objects.filter(to=quiet.email).exists()

"""Every price a book has had is recorded by the catalog services: the first, each edit, each import."""

import io
from decimal import Decimal

import pytest
from django.test import Client

from accounts.factories import UserFactory
from catalog import services
from catalog.book_import import books_import
from catalog.factories import BookFactory, GenreFactory
from catalog.models import PriceChange

pytestmark = pytest.mark.django_db


def history(book) -> list[tuple]:
    return [
        (change.old_price, change.new_price, change.reason)
        for change in PriceChange.objects.filter(book=book).order_by("created_at", "id")
    ]


def test_a_new_book_starts_its_history_with_its_price(staff):
    book = services.book_create(
        actor=staff, title="Emma", author="Jane Austen", isbn="9780306406157", price="7.50", genre=None
    )

    assert history(book) == [(None, Decimal("7.50"), PriceChange.Reason.INITIAL)]
    assert PriceChange.objects.get(book=book).actor == staff


def test_an_edited_price_is_recorded_with_the_old_one_and_who(staff):
    book = BookFactory(price=Decimal("10.00"))

    services.book_update(book=book, actor=staff, price="12.00")
    services.book_update(book=book, actor=staff, title="Same price, new title")

    assert history(book) == [(Decimal("10.00"), Decimal("12.00"), PriceChange.Reason.EDIT)]
    assert PriceChange.objects.get(book=book).actor == staff


def test_the_old_price_is_the_stored_one_not_a_stale_copy(staff):
    book = BookFactory(price=Decimal("10.00"))
    stale = type(book).objects.get(pk=book.pk)
    services.book_update(book=book, actor=staff, price="11.00")

    services.book_update(book=stale, actor=staff, price="13.00")

    assert history(book)[-1] == (Decimal("11.00"), Decimal("13.00"), PriceChange.Reason.EDIT)


def test_a_refused_edit_records_nothing(staff):
    book = BookFactory(price=Decimal("10.00"))

    with pytest.raises(Exception, match="price"):
        services.book_update(book=book, actor=staff, price="0")

    assert history(book) == []


def test_the_import_records_new_books_and_changed_prices(staff):
    genre = GenreFactory(slug="crime")
    kept = BookFactory(isbn="9780306406157", price=Decimal("10.00"))
    changed = BookFactory(isbn="9781861972712", price=Decimal("10.00"))
    csv_file = io.StringIO(
        "isbn,title,author,description,price,stock,genre\n"
        f"{kept.isbn},{kept.title},{kept.author},,10.00,,crime\n"
        f"{changed.isbn},{changed.title},{changed.author},,14.00,,crime\n"
        "9780140449136,New Book,An Author,,9.99,3,crime\n"
    )

    report = books_import(file=csv_file, actor=staff)

    assert not report.errors and genre
    assert history(kept) == []
    assert history(changed) == [(Decimal("10.00"), Decimal("14.00"), PriceChange.Reason.IMPORT)]
    new = type(kept).objects.get(isbn="9780140449136")
    assert history(new) == [(None, Decimal("9.99"), PriceChange.Reason.IMPORT)]


def test_the_admin_shows_the_history_on_the_book_and_as_a_list(staff):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    book = BookFactory(price=Decimal("10.00"))
    services.book_update(book=book, actor=staff, price="12.00")

    page = client.get(f"/admin/catalog/book/{book.pk}/change/")
    listing = client.get("/admin/catalog/pricechange/")
    export = client.get("/admin/catalog/pricechange/export/")

    assert b"price history" in page.content.lower() and b"12.00" in page.content
    assert listing.status_code == 200 and listing.context["cl"].result_count == 1
    assert not listing.context["has_add_permission"]
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0] == "when,book_id,isbn,title,old_price,new_price,reason,by"
    assert rows[1].endswith(f",10.00,12.00,Price edited,{staff.email}")

"""Django admin for books: the changelist, the ledger inline, and stock that only moves through the ledger."""

from decimal import Decimal

import pytest
from django import forms
from django.test import Client

from accounts.factories import UserFactory
from catalog import services
from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book, PreBooking, StockMovement

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/catalog/book/"
ADD = "/admin/catalog/book/add/"


def change_url(book) -> str:
    return f"/admin/catalog/book/{book.pk}/change/"


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {book.pk for book in response.context["cl"].result_list}


def form_data(response, **changes) -> dict:
    """What a browser would post back from the admin page in `response`, with `changes` typed in."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
        if field.show_hidden_initial:
            data[form.add_initial_prefix(name)] = data[name]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(changes)
    return data


# --- changelist ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # InnoDB's FULLTEXT index sees committed rows only
def test_changelist_loads_and_searches(admin_client):
    dune = BookFactory(title="Dune", author="Frank Herbert", isbn="9780306406157")
    emma = BookFactory(title="Emma", author="Jane Austen")

    assert listed(admin_client.get(CHANGELIST)) == {dune.pk, emma.pk}
    assert listed(admin_client.get(CHANGELIST, {"q": "dune"})) == {dune.pk}
    assert listed(admin_client.get(CHANGELIST, {"q": "austen"})) == {emma.pk}
    assert listed(admin_client.get(CHANGELIST, {"q": "9780306406157"})) == {dune.pk}


def test_changelist_filters_by_genre_and_stock(admin_client):
    crime = GenreFactory(name="Crime")
    in_stock = BookFactory(genre=crime, stock=2)
    sold_out = BookFactory(genre=crime, stock=0)
    other = BookFactory(stock=5)

    assert listed(admin_client.get(CHANGELIST, {"genre__id__exact": crime.pk})) == {in_stock.pk, sold_out.pk}
    assert listed(admin_client.get(CHANGELIST, {"in_stock": "yes"})) == {in_stock.pk, other.pk}
    assert listed(admin_client.get(CHANGELIST, {"in_stock": "no"})) == {sold_out.pk}
    assert listed(admin_client.get(CHANGELIST, {"in_stock": "no", "genre__id__exact": crime.pk})) == {
        sold_out.pk
    }


def test_changelist_shows_removed_books_to_staff(admin_client):
    removed = BookFactory(is_active=False)
    BookFactory()

    assert listed(admin_client.get(CHANGELIST, {"is_active__exact": "0"})) == {removed.pk}


def test_customer_cannot_open_the_admin(user):
    client = Client()
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- change page --------------------------------------------------------------------------------


def test_change_page_shows_the_stock_ledger(admin_client, staff):
    book = BookFactory(stock=0)
    services.stock_adjust(
        book_id=book.pk, delta=7, reason=StockMovement.Reason.INITIAL, note="first delivery"
    )
    services.stock_adjust(book_id=book.pk, delta=-2, reason=StockMovement.Reason.ADJUSTMENT, actor=staff)

    response = admin_client.get(change_url(book))

    assert response.status_code == 200
    ledger, _prices = response.context["inline_admin_formsets"]
    shown = [form.instance for form in ledger.formset.forms]
    assert [(m.delta, m.stock_after) for m in shown] == [(-2, 5), (7, 7)]
    assert not ledger.formset.extra_forms
    assert b"first delivery" in response.content
    assert b"Manual adjustment" in response.content


def test_saving_a_new_stock_value_writes_a_ledger_row_with_its_reason(admin_client, admin_user):
    book = BookFactory(stock=4, title="Old title")
    page = admin_client.get(change_url(book))

    response = admin_client.post(
        change_url(book),
        form_data(page, stock=9, title="New title", stock_reason="restock", stock_note="Delivery 42"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    book.refresh_from_db()
    assert (book.title, book.stock) == ("New title", 9)
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.reason, movement.note, movement.actor) == (
        5,
        9,
        StockMovement.Reason.RESTOCK,
        "Delivery 42",
        admin_user,
    )


def test_a_stock_change_for_another_reason_needs_a_note_and_changes_nothing(admin_client):
    book = BookFactory(stock=4)
    page = admin_client.get(change_url(book))

    response = admin_client.post(change_url(book), form_data(page, stock=1, stock_reason="other"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"stock_note": ["Say why the stock changed."]}
    book.refresh_from_db()
    assert book.stock == 4
    assert not StockMovement.objects.filter(book=book).exists()


def test_saving_other_fields_leaves_stock_and_ledger_alone(admin_client):
    book = BookFactory(stock=4, price=Decimal("10.00"))
    page = admin_client.get(change_url(book))

    response = admin_client.post(change_url(book), form_data(page, price="11.50"))

    assert response.status_code == 302
    book.refresh_from_db()
    assert (book.price, book.stock) == (Decimal("11.50"), 4)
    assert not StockMovement.objects.exists()


def test_saving_without_touching_stock_keeps_a_checkout_made_meanwhile(admin_client):
    """The form still shows 10 when a checkout takes 3: saving a price must not put the 3 back."""
    book = BookFactory(stock=10, price=Decimal("10.00"))
    page = admin_client.get(change_url(book))
    assert b'name="initial-stock" value="10"' in page.content
    services.stock_adjust(book_id=book.pk, delta=-3, reason=StockMovement.Reason.ORDER)

    response = admin_client.post(change_url(book), form_data(page, price="12.00"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    book.refresh_from_db()
    assert (book.price, book.stock) == (Decimal("12.00"), 7)
    assert list(StockMovement.objects.values_list("reason", "delta")) == [("order", -3)]


def test_saving_keeps_ratings_written_meanwhile(admin_client):
    book = BookFactory()
    page = admin_client.get(change_url(book))
    Book.objects.filter(pk=book.pk).update(avg_rating=Decimal("3.50"), review_count=2)

    admin_client.post(change_url(book), form_data(page, title="Renamed"))

    book.refresh_from_db()
    assert (book.title, book.avg_rating, book.review_count) == ("Renamed", Decimal("3.50"), 2)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stock": "-1"}, "stock"),
        ({"price": "0"}, "price"),
        ({"isbn": "0-306-40615-3"}, "isbn"),
        ({"isbn": "0-8044-2957-X"}, "isbn"),  # another book's ISBN, in its ISBN-10 form
    ],
)
def test_invalid_admin_change_is_refused_and_changes_nothing(admin_client, changes, field):
    BookFactory(isbn="9780804429573")
    book = BookFactory(stock=4, price=Decimal("10.00"))
    before = Book.objects.filter(pk=book.pk).values().get()
    page = admin_client.get(change_url(book))

    response = admin_client.post(change_url(book), form_data(page, **changes))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Book.objects.filter(pk=book.pk).values().get() == before
    assert not StockMovement.objects.exists()


# --- add page -----------------------------------------------------------------------------------


def new_book_data(page, **changes) -> dict:
    return form_data(
        page,
        title="Middlemarch",
        author="George Eliot",
        isbn="0-306-40615-2",
        price="9.99",
        **changes,
    )


def test_adding_a_book_with_stock_writes_an_initial_row(admin_client, admin_user):
    genre = GenreFactory()
    page = admin_client.get(ADD)

    response = admin_client.post(ADD, new_book_data(page, stock="6", genre=genre.pk))

    assert response.status_code == 302, response.context["adminform"].form.errors
    book = Book.objects.get()
    assert (book.title, book.isbn, book.stock, book.genre, book.is_active) == (
        "Middlemarch",
        "9780306406157",
        6,
        genre,
        True,
    )
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor) == (
        6,
        6,
        StockMovement.Reason.INITIAL,
        admin_user,
    )


def test_adding_a_book_without_stock_writes_no_row(admin_client):
    page = admin_client.get(ADD)

    response = admin_client.post(ADD, new_book_data(page, stock="0"))

    assert response.status_code == 302
    assert Book.objects.get().stock == 0
    assert not StockMovement.objects.exists()


def test_adding_a_duplicate_isbn_is_refused(admin_client):
    BookFactory(isbn="9780306406157")
    page = admin_client.get(ADD)

    response = admin_client.post(ADD, new_book_data(page, stock="3"))

    assert response.status_code == 200
    assert "isbn" in response.context["adminform"].form.errors
    assert Book.objects.count() == 1
    assert not StockMovement.objects.exists()


# --- covers through the admin -------------------------------------------------------------------


def test_admin_cover_upload_is_checked_and_stored_under_a_generated_name(admin_client):
    from catalog.tests.test_cover import image_bytes, stored_files, upload

    book = BookFactory()
    page = admin_client.get(change_url(book))
    data = form_data(page, cover=upload("my holiday.png", image_bytes("PNG"), "image/png"))

    response = admin_client.post(change_url(book), data)

    assert response.status_code == 302
    book.refresh_from_db()
    assert book.cover.name.startswith("covers/") and book.cover.name.endswith(".png")
    assert "holiday" not in book.cover.name
    assert [path.name for path in stored_files()] == [book.cover.name.split("/")[-1]]


@pytest.mark.parametrize(
    ("name", "content"),
    [("cover.gif", "GIF"), ("cover.jpg", b"this is text, not a picture")],
)
def test_admin_refuses_a_cover_that_is_not_an_accepted_image(admin_client, name, content):
    from catalog.tests.test_cover import image_bytes, stored_files, upload

    book = BookFactory()
    page = admin_client.get(change_url(book))
    payload = image_bytes(content) if content == "GIF" else content
    data = form_data(page, cover=upload(name, payload), title="Changed title")

    response = admin_client.post(change_url(book), data)

    assert response.status_code == 200  # the form comes back with an error
    assert response.context["adminform"].form.errors["cover"]
    book.refresh_from_db()
    assert not book.cover
    assert book.title != "Changed title"
    assert stored_files() == []


def test_books_cannot_be_deleted_in_the_admin_only_removed_from_the_catalog(admin_client):
    book = BookFactory(stock=0)
    waiting = PreBooking.objects.create(user=UserFactory(), book=book)

    delete_page = admin_client.get(f"/admin/catalog/book/{book.pk}/delete/")
    removed = admin_client.post(
        CHANGELIST, {"action": "remove_from_catalog", "_selected_action": [book.pk]}, follow=True
    )

    assert delete_page.status_code == 403
    assert removed.status_code == 200
    book.refresh_from_db()
    waiting.refresh_from_db()
    assert (book.is_active, waiting.status) == (False, PreBooking.Status.CANCELLED)
    assert "1 book(s) removed from the catalog." in removed.content.decode()

    admin_client.post(CHANGELIST, {"action": "return_to_catalog", "_selected_action": [book.pk]})

    book.refresh_from_db()
    assert book.is_active is True

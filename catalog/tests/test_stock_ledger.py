"""The stock ledger across all books: the admin list (filters, read-only, CSV export) and the staff
report `/api/admin/reports/stock-movements/` (pages, filters, `?format=csv`); the low-stock threshold."""

import csv
import io
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts.factories import StaffFactory, UserFactory
from catalog import services
from catalog.factories import BookFactory
from catalog.models import StockMovement

pytestmark = pytest.mark.django_db

LEDGER = "/admin/catalog/stockmovement/"
API = "/api/admin/reports/stock-movements/"


@pytest.fixture
def ledger():
    """Dune: restocked by Sam, damaged by Kim; Emma: bought by a customer; both in the 2024-03-0x days."""
    sam, kim, customer = StaffFactory(username="sam"), StaffFactory(username="kim"), UserFactory()
    dune, emma = BookFactory(title="Dune", stock=0), BookFactory(title="Emma", stock=5)
    rows = [
        services.stock_adjust(book_id=dune.pk, delta=10, reason="restock", actor=sam, note="=SUM(A1)"),
        services.stock_adjust(book_id=dune.pk, delta=-2, reason="damaged", actor=kim, note="water"),
        services.stock_adjust(book_id=emma.pk, delta=-1, reason="order", actor=customer),
    ]
    for day, row in zip((1, 2, 3), rows, strict=True):
        moved = timezone.make_aware(datetime(2024, 3, day, 12))
        StockMovement.objects.filter(pk=row.pk).update(created_at=moved)
    return {"sam": sam, "kim": kim, "customer": customer, "dune": dune, "emma": emma, "rows": rows}


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [movement.pk for movement in response.context["cl"].result_list]


def ids(*rows) -> list[int]:
    return [row.pk for row in rows]


def test_the_ledger_lists_every_book_newest_first(admin_client, ledger):
    restock, damaged, order = ledger["rows"]

    assert listed(admin_client.get(LEDGER)) == ids(order, damaged, restock)


def test_the_ledger_filters_by_book_reason_who_and_day(admin_client, ledger):
    restock, damaged, order = ledger["rows"]

    assert listed(admin_client.get(LEDGER, {"book__id__exact": ledger["dune"].pk})) == ids(damaged, restock)
    assert listed(admin_client.get(LEDGER, {"reason__exact": "damaged"})) == ids(damaged)
    assert listed(admin_client.get(LEDGER, {"who": ledger["sam"].pk})) == ids(restock)
    assert listed(admin_client.get(LEDGER, {"who": "customers"})) == ids(order)
    assert listed(
        admin_client.get(LEDGER, {"created_at__year": 2024, "created_at__month": 3, "created_at__day": 2})
    ) == ids(damaged)
    assert listed(admin_client.get(LEDGER, {"q": "Emma"})) == ids(order)


def test_the_ledger_is_read_only(admin_client, ledger):
    restock = ledger["rows"][0]

    page = admin_client.get(LEDGER)
    change = admin_client.post(f"{LEDGER}{restock.pk}/change/", {"delta": 99})
    add = admin_client.get(f"{LEDGER}add/")

    assert not page.context["has_add_permission"]
    assert (change.status_code, add.status_code) == (403, 403)
    restock.refresh_from_db()
    assert restock.delta == 10


def test_the_csv_export_holds_the_filtered_list_and_defuses_formulas(admin_client, ledger):
    restock = ledger["rows"][0]

    response = admin_client.get(
        f"{LEDGER}export/", {"book__id__exact": ledger["dune"].pk, "reason__exact": "restock"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "when",
        "book_id",
        "isbn",
        "title",
        "change",
        "stock_after",
        "reason",
        "note",
        "order_id",
        "by",
    ]
    assert rows[1][1:] == [
        str(ledger["dune"].pk),
        ledger["dune"].isbn,
        "Dune",
        "10",
        "10",
        "Restock",
        "'=SUM(A1)",
        "",
        ledger["sam"].email,
    ]
    assert len(rows) == 2 and restock


def test_the_list_page_offers_the_export_with_its_filters(admin_client, ledger):
    page = admin_client.get(LEDGER, {"reason__exact": "damaged"})

    assert b'href="/admin/catalog/stockmovement/export/?reason__exact=damaged"' in page.content


def test_a_staff_member_without_the_view_permission_cannot_export(ledger):
    client = Client()
    client.force_login(StaffFactory())

    assert client.get(f"{LEDGER}export/").status_code == 403


def test_the_book_page_links_to_its_ledger(admin_client, ledger):
    page = admin_client.get(f"/admin/catalog/book/{ledger['dune'].pk}/change/")

    assert f"/admin/catalog/stockmovement/?book__id__exact={ledger['dune'].pk}".encode() in page.content


# --- The staff API ----------------------------------------------------------------------------------


def test_the_api_pages_the_ledger_newest_first(staff_client, ledger):
    _restock, damaged, order = ledger["rows"]

    body = staff_client.get(API, {"page_size": 2}).json()

    assert body["count"] == 3 and body["next"]
    assert [row["id"] for row in body["results"]] == ids(order, damaged)
    assert body["results"][1] | {"created_at": None} == {
        "id": damaged.pk,
        "created_at": None,
        "book_id": ledger["dune"].pk,
        "isbn": ledger["dune"].isbn,
        "title": "Dune",
        "delta": -2,
        "stock_after": 8,
        "reason": "damaged",
        "note": "water",
        "order_id": None,
        "actor_id": ledger["kim"].pk,
        "actor_email": ledger["kim"].email,
    }


def test_the_api_filters(staff_client, ledger):
    restock, damaged, order = ledger["rows"]

    def found(**params):
        response = staff_client.get(API, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert found(book=ledger["dune"].pk) == ids(damaged, restock)
    assert found(reason="order") == ids(order)
    assert found(actor=ledger["sam"].pk) == ids(restock)
    assert found(**{"from": "2024-03-02", "to": "2024-03-02"}) == ids(damaged)
    assert found(**{"from": "2024-03-02"}) == ids(order, damaged)
    assert found(to="2024-03-01") == ids(restock)


def test_the_api_answers_csv_with_format_csv(staff_client, ledger):
    response = staff_client.get(API, {"format": "csv", "reason": "damaged"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("when,book_id,isbn,title,change")
    assert len(lines) == 2 and ",water," in lines[1]


@pytest.mark.parametrize(
    "params",
    [
        {"book": "1.5"},
        {"reason": "stolen"},
        {"from": "2024-13-01"},
        {"from": "2024-03-02", "to": "2024-03-01"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_bad_filters_are_a_400_in_json_whatever_the_format(staff_client, ledger, params, fmt):
    response = staff_client.get(API, {**params, "format": fmt})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()


def test_the_api_is_for_staff_only(user_client, api_client):
    assert user_client.get(API).status_code == 403
    assert user_client.get(API, {"format": "csv"})["Content-Type"] == "application/json"
    assert api_client.get(API).status_code == 401


# --- Low-stock threshold ------------------------------------------------------------------------------


def test_the_threshold_is_set_in_the_admin_and_used_by_the_low_stock_filter(admin_client):
    low = BookFactory(title="Low", stock=3)
    fine = BookFactory(title="Fine", stock=3)
    page = admin_client.get(f"/admin/catalog/book/{fine.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: form[name].value() or ""
        for name in ("title", "author", "isbn", "description", "price", "stock", "genre", "stock_reason")
    }
    data.update(
        {
            "initial-stock": fine.stock,
            "low_stock_threshold": "2",
            **{
                f"{prefix}-{name}": value
                for prefix in ("stock_movements", "price_changes")
                for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        }
    )

    response = admin_client.post(f"/admin/catalog/book/{fine.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    fine.refresh_from_db()
    assert fine.low_stock_threshold == 2
    listing = admin_client.get("/admin/catalog/book/", {"in_stock": "low"})
    assert [book.pk for book in listing.context["cl"].result_list] == [low.pk]


@pytest.mark.parametrize("threshold", ["-1", "1000001", "two"])
def test_a_bad_threshold_is_refused_beside_its_field(admin_client, threshold):
    book = BookFactory(stock=3)
    page = admin_client.get(f"/admin/catalog/book/{book.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: form[name].value() or ""
        for name in ("title", "author", "isbn", "description", "price", "stock", "genre", "stock_reason")
    }
    data.update({"initial-stock": book.stock, "low_stock_threshold": threshold})
    for prefix in ("stock_movements", "price_changes"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = admin_client.post(f"/admin/catalog/book/{book.pk}/change/", data)

    assert response.status_code == 200
    assert "low_stock_threshold" in response.context["adminform"].form.errors
    book.refresh_from_db()
    assert book.low_stock_threshold == 5


def test_the_low_stock_report_uses_each_books_threshold_unless_given(staff_client):
    picky = BookFactory(stock=8, low_stock_threshold=10)
    BookFactory(stock=8)
    relaxed = BookFactory(stock=3, low_stock_threshold=5)

    own = staff_client.get("/api/admin/reports/low-stock/").json()
    given = staff_client.get("/api/admin/reports/low-stock/", {"threshold": 3}).json()

    assert [(row["id"], row["low_stock_threshold"]) for row in own["results"]] == [
        (relaxed.pk, 5),
        (picky.pk, 10),
    ]
    assert [row["id"] for row in given["results"]] == [relaxed.pk]

"""Sales by day and genre, and inventory with its reorder suggestion: the selectors, the admin report
pages (permission-checked, CSV) and the inventory API."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from accounts.factories import StaffFactory, UserFactory
from catalog.factories import BookFactory, GenreFactory
from orders import reports
from orders.factories import OrderFactory, OrderItemFactory
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db


def _order(*, status=OrderStatus.PAID, placed, lines, discount="0.00"):
    subtotal = sum((book.price * quantity for book, quantity in lines), Decimal("0.00"))
    order = OrderFactory(status=status, subtotal=subtotal, discount=Decimal(discount))
    for book, quantity in lines:
        OrderItemFactory(order=order, book=book, quantity=quantity)
    Order.objects.filter(pk=order.pk).update(created_at=placed)
    return order


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


@pytest.fixture
def march():
    crime, poetry = GenreFactory(name="Crime"), GenreFactory(name="Poetry")
    dune = BookFactory(title="Dune", price=Decimal("10.00"), genre=crime)
    odes = BookFactory(title="Odes", price=Decimal("4.00"), genre=poetry)
    loose = BookFactory(title="Loose", price=Decimal("1.00"), genre=None)
    _order(placed=noon(date(2024, 3, 1)), lines=[(dune, 2), (odes, 1)], discount="2.00")
    _order(status=OrderStatus.DELIVERED, placed=noon(date(2024, 3, 3)), lines=[(odes, 3), (loose, 1)])
    _order(status=OrderStatus.PENDING, placed=noon(date(2024, 3, 2)), lines=[(dune, 9)])
    _order(status=OrderStatus.CANCELLED, placed=noon(date(2024, 3, 2)), lines=[(dune, 9)])
    return dune, odes, loose


def test_sales_by_day_has_every_day_of_the_range(march):
    days = reports.sales_by_day(date_from=date(2024, 3, 1), date_to=date(2024, 3, 3))

    assert [(d.day.day, d.orders, d.revenue, d.units) for d in days] == [
        (1, 1, Decimal("22.00"), 3),
        (2, 0, Decimal("0.00"), 0),
        (3, 1, Decimal("13.00"), 4),
    ]


def test_sales_by_genre_adds_up_lines_best_selling_first(march):
    genres = reports.sales_by_genre(date_from=date(2024, 3, 1), date_to=date(2024, 3, 3))

    assert [(g.genre, g.orders, g.units, g.revenue) for g in genres] == [
        ("Crime", 1, 2, Decimal("20.00")),
        ("Poetry", 2, 4, Decimal("16.00")),
        ("No genre", 1, 1, Decimal("1.00")),
    ]


def test_the_sales_page_shows_charts_with_their_tables(admin_client, march):
    page = admin_client.get("/admin/reports/sales/", {"date_from": "2024-03-01", "date_to": "2024-03-03"})

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('role="img"') == 2 and "<desc" in html
    assert "Revenue per day" in html and "Revenue per genre" in html
    assert "$35.00" in html  # the period's revenue
    assert 'scope="row">Crime</th>' in html


@pytest.mark.parametrize(
    ("export", "expected"),
    [
        (
            "day",
            [
                ["day", "orders", "revenue", "copies"],
                ["2024-03-01", "1", "22.00", "3"],
                ["2024-03-02", "0", "0.00", "0"],
            ],
        ),
        ("genre", [["genre", "orders", "copies", "revenue"], ["Crime", "1", "2", "20.00"]]),
    ],
)
def test_the_sales_page_exports_csv(admin_client, march, export, expected):
    response = admin_client.get(
        "/admin/reports/sales/", {"date_from": "2024-03-01", "date_to": "2024-03-03", "export": export}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[: len(expected)] == expected


def test_a_bad_period_is_shown_and_not_exported(admin_client, march):
    page = admin_client.get("/admin/reports/sales/", {"date_from": "2024-03-05", "date_to": "2024-03-01"})
    export = admin_client.get(
        "/admin/reports/sales/", {"date_from": "2024-03-05", "date_to": "2024-03-01", "export": "day"}
    )

    assert page.status_code == 200 and "must not be after" in page.content.decode()
    assert export["Content-Type"].startswith("text/html")


def test_the_report_pages_need_their_permissions():
    staff = StaffFactory()
    client = Client()
    client.force_login(staff)

    assert client.get("/admin/reports/sales/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_order"))
    assert client.get("/admin/reports/sales/").status_code == 200
    assert client.get("/admin/reports/inventory/").status_code == 403
    customer = Client()
    customer.force_login(UserFactory())
    assert customer.get("/admin/reports/sales/").status_code == 302  # to the admin login


def test_the_index_links_the_reports_its_user_may_see(admin_client):
    page = admin_client.get("/admin/")

    for slug in ("sales", "inventory", "insights"):
        assert f'href="/admin/reports/{slug}/"'.encode() in page.content


# --- Inventory --------------------------------------------------------------------------------------


@pytest.fixture
def shelf():
    """Fast: 6 sold in 30 days, 1 left. Slow: nothing sold, 0 left. Plenty: 3 sold, 50 on the shelf."""
    recent = timezone.now() - timedelta(days=3)
    fast = BookFactory(title="Fast", stock=1)
    slow = BookFactory(title="Slow", stock=0)
    plenty = BookFactory(title="Plenty", stock=50)
    _order(placed=recent, lines=[(fast, 6), (plenty, 3)])
    _order(placed=timezone.now() - timedelta(days=45), lines=[(fast, 100)])  # before the window
    _order(status=OrderStatus.CANCELLED, placed=recent, lines=[(plenty, 100)])
    return fast, slow, plenty


def test_inventory_computes_velocity_cover_and_reorder(shelf):
    rows = {book.title: book for book in reports.inventory_queryset()}

    # Fast: 6/30 = 0.2 a day; 1 copy lasts 5 days; ⌈0.2 × 30⌉ + 5 − 1 = 10.
    assert (rows["Fast"].sold_30d, reports.velocity(6), rows["Fast"].days_of_cover, rows["Fast"].reorder) == (
        6,
        Decimal("0.20"),
        5.0,
        10,
    )
    # Slow: nothing sold, so no cover figure; the threshold alone: 0 + 5 − 0 = 5.
    assert (rows["Slow"].sold_30d, rows["Slow"].days_of_cover, rows["Slow"].reorder) == (0, None, 5)
    # Plenty: 3/30 a day; 50 copies last 500 days; ⌈3⌉ + 5 − 50 < 0 → 0.
    assert (rows["Plenty"].days_of_cover, rows["Plenty"].reorder) == (500.0, 0)
    assert [book.title for book in reports.inventory_queryset()] == ["Fast", "Slow", "Plenty"]


def test_inventory_covers_the_days_asked_for_and_filters(shelf):
    rows = {book.title: book.reorder for book in reports.inventory_queryset(cover_days=60)}

    assert rows == {"Fast": 16, "Slow": 5, "Plenty": 0}  # ⌈0.2 × 60⌉ + 5 − 1
    assert [b.title for b in reports.inventory_queryset(needs_reorder=True)] == ["Fast", "Slow"]
    assert [b.title for b in reports.inventory_queryset(needs_reorder=False)] == ["Plenty"]


def test_the_inventory_page_states_the_formula_and_exports(admin_client, shelf):
    page = admin_client.get("/admin/reports/inventory/")
    export = admin_client.get("/admin/reports/inventory/", {"format": "csv", "needs_reorder": "on"})

    html = page.content.decode()
    assert page.status_code == 200 and "Days of cover = stock ÷ velocity" in html
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == list(reports.INVENTORY_CSV_HEADER)
    assert [(row[2], row[7], row[8], row[9], row[10]) for row in rows[1:]] == [
        ("Fast", "6", "0.20", "5.0", "10"),
        ("Slow", "0", "0.00", "", "5"),
    ]


def test_the_inventory_api_pages_and_exports(staff_client, shelf):
    fast = shelf[0]

    body = staff_client.get("/api/admin/reports/inventory/", {"page_size": 1}).json()
    csv_response = staff_client.get("/api/admin/reports/inventory/", {"format": "csv", "cover_days": 60})

    assert body["count"] == 3 and body["next"]
    assert body["results"] == [
        {
            "book_id": fast.pk,
            "isbn": fast.isbn,
            "title": "Fast",
            "author": fast.author,
            "genre": fast.genre.slug,
            "stock": 1,
            "low_stock_threshold": 5,
            "sold_30d": 6,
            "copies_per_day": "0.20",
            "days_of_cover": "5.0",
            "reorder": 10,
        }
    ]
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert b",Fast," in b"".join(csv_response.streaming_content)


@pytest.mark.parametrize(
    "params", [{"cover_days": "0"}, {"cover_days": "366"}, {"genre": "nope"}, {"needs_reorder": "perhaps"}]
)
def test_the_inventory_api_refuses_bad_parameters_in_json(staff_client, params):
    response = staff_client.get("/api/admin/reports/inventory/", {**params, "format": "csv"})

    assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_the_inventory_api_filters_by_genre_with_its_subgenres(staff_client):
    crime = GenreFactory(slug="crime")
    cosy = GenreFactory(slug="cosy", parent=crime)
    inside = BookFactory(genre=cosy)
    BookFactory()

    body = staff_client.get("/api/admin/reports/inventory/", {"genre": "crime"}).json()

    assert [row["book_id"] for row in body["results"]] == [inside.pk]

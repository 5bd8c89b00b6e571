"""The back office in a real Chromium, as staff: the dashboard (chart, low-stock list), a stock change
with its reason landing in the ledger, the report pages and their CSV files; and axe-core finds no
critical or serious accessibility violation on the pages this work touched."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import UserFactory
from catalog.factories import BookFactory
from catalog.models import StockMovement
from catalog.services import book_update
from insights.models import DailyBookStats, DailySearchStats
from orders.factories import CouponFactory, OrderFactory, OrderItemFactory
from orders.models import Order, OrderStatus
from reviews.services import review_create
from tests_browser import screenshot
from tests_browser.axe import axe_blocking_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def keeper(page, browser_login):
    """A superuser, logged in in the test's page."""
    user = UserFactory(username="keeper", email="keeper@bookstore.local", is_staff=True, is_superuser=True)
    browser_login(user)
    return user


def sold(book, *, quantity: int, days_ago: int, status=OrderStatus.PAID) -> Order:
    placed = timezone.now() - timedelta(days=days_ago, hours=1)
    order = OrderFactory(status=status, subtotal=book.price * quantity)
    OrderItemFactory(order=order, book=book, quantity=quantity)
    Order.objects.filter(pk=order.pk).update(created_at=placed, paid_at=placed)
    return order


@pytest.fixture
def month_of_sales():
    """A month of orders over a few books, one of them down to its last copies, and counted shoppers."""
    dune = BookFactory(title="Dune", price=Decimal("12.50"), stock=2)
    emma = BookFactory(title="Emma", price=Decimal("4.00"), stock=30)
    odes = BookFactory(title="Odes", price=Decimal("9.00"), stock=60)
    orders = []
    for days_ago in range(0, 28, 3):
        orders.append(sold(dune, quantity=1 + days_ago % 2, days_ago=days_ago))
        orders.append(sold(emma, quantity=2, days_ago=days_ago + 1, status=OrderStatus.SHIPPED))
    orders.append(sold(odes, quantity=3, days_ago=2))
    today = timezone.localdate()
    DailyBookStats.objects.create(day=today, book_id=dune.pk, views=120, cart_adds=30, orders=9)
    DailySearchStats.objects.create(day=today, query="unicorns", searches=4, no_results=4)
    return dune, emma, odes, orders


def accessibility_violations(page) -> list[str]:
    return axe_blocking_violations(page, always_blocking=())


def assert_accessible(page) -> None:
    assert accessibility_violations(page) == []


def download_csv(page, link) -> list[list[str]]:
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), encoding="utf-8") as file:
        return list(csv.reader(io.StringIO(file.read())))


def test_the_dashboard_shows_a_chart_and_the_books_running_low(page, keeper, month_of_sales):
    dune, *_rest = month_of_sales

    page.goto("/admin/")

    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    chart = page.get_by_role("img", name="Revenue per day")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bo-bar")).to_have_count(30)
    expect(page.get_by_role("region", name="Revenue per day, as a table").locator("tbody tr")).to_have_count(
        30
    )
    low = page.locator("#low-stock")
    expect(low.get_by_role("link", name="Dune")).to_be_visible()
    expect(low).to_contain_text("All 1 book at or under its threshold")
    expect(page.get_by_role("link", name="Paid over 24 h ago, not shipped")).to_contain_text("10")
    expect(page.get_by_text("“unicorns”")).to_be_visible()
    screenshot(page, "admin-dashboard")
    assert_accessible(page)

    low.get_by_role("link", name="All 1 book").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text(dune.title)


def test_a_stock_change_with_its_reason_lands_in_the_ledger(page, keeper):
    book = BookFactory(title="The Salt Road", stock=12)

    page.goto(f"/admin/catalog/book/{book.pk}/change/")
    page.get_by_label("Stock:", exact=True).fill("9")
    page.get_by_label("Reason for a stock change").select_option(label="Damaged or lost")
    page.get_by_label("Note for the stock ledger").fill("Three copies soaked in the storeroom")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="All stock movements of this book").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Damaged or lost")
    expect(rows.first).to_contain_text("Three copies soaked in the storeroom")
    expect(rows.first).to_contain_text("-3")
    expect(rows.first).to_contain_text("keeper")
    screenshot(page, "admin-stock-ledger")
    assert_accessible(page)
    movement = StockMovement.objects.get(book=book)
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor) == (
        -3,
        9,
        "damaged",
        keeper,
    )

    exported = download_csv(page, page.get_by_role("link", name="Export CSV"))
    assert exported[0][:5] == ["when", "book_id", "isbn", "title", "change"]
    assert exported[1][3:8] == [
        "The Salt Road",
        "-3",
        "9",
        "Damaged or lost",
        "Three copies soaked in the storeroom",
    ]


def test_the_report_pages_show_their_figures_and_export_csv(page, keeper, month_of_sales):
    page.goto("/admin/")
    page.get_by_role("link", name="Sales by day and genre").click()
    expect(page.get_by_role("heading", name="Sales by day and genre", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Revenue per day")).to_be_visible()
    expect(page.get_by_role("img", name="Revenue per genre")).to_be_visible()
    screenshot(page, "admin-report-sales")
    assert_accessible(page)
    by_day = download_csv(page, page.get_by_role("link", name="Download sales by day (CSV)"))
    assert by_day[0] == ["day", "orders", "revenue", "copies"] and len(by_day) == 31
    assert sum(int(row[1]) for row in by_day[1:]) == 21

    page.get_by_label("From", exact=True).fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Show").click()
    by_genre = download_csv(page, page.get_by_role("link", name="Download sales by genre (CSV)"))
    assert by_genre[0] == ["genre", "orders", "copies", "revenue"] and len(by_genre) >= 2

    page.goto("/admin/reports/inventory/")
    expect(page.get_by_text("Days of cover = stock ÷ velocity")).to_be_visible()
    first = page.locator(".bo-report table tbody tr").first
    expect(first).to_contain_text("Dune")
    screenshot(page, "admin-report-inventory")
    assert_accessible(page)
    inventory = download_csv(page, page.get_by_role("link", name="Download all as CSV"))
    assert inventory[0][:3] == ["book_id", "isbn", "title"] and inventory[1][2] == "Dune"

    page.goto("/admin/reports/insights/")
    expect(page.get_by_role("img", name="Book page views per day")).to_be_visible()
    expect(page.locator(".bo-funnel")).to_contain_text("120")
    assert_accessible(page)


def test_the_lists_and_pages_this_work_touched_are_accessible(page, keeper, month_of_sales):
    dune, _emma, _odes, orders = month_of_sales
    book_update(book=dune, actor=keeper, price="13.00")
    reader = UserFactory()
    Order.objects.filter(pk=sold(dune, quantity=1, days_ago=1).pk).update(user=reader)
    review = review_create(user=reader, book_id=dune.pk, rating=4, text="Spice, sand and politics.")
    coupon = CouponFactory()

    for path in (
        "/admin/catalog/stockmovement/",
        "/admin/catalog/pricechange/",
        f"/admin/catalog/book/{dune.pk}/change/",
        "/admin/catalog/book/",
        "/admin/reviews/review/",
        f"/admin/reviews/review/{review.pk}/change/",
        "/admin/accounts/user/",
        "/admin/orders/coupon/add/",
        f"/admin/orders/coupon/{coupon.pk}/change/",
        "/admin/orders/order/",
    ):
        page.goto(path)
        assert accessibility_violations(page) == [], path

    page.goto(f"/admin/orders/order/{orders[0].pk}/change/")
    screenshot(page, "admin-order")
    assert accessibility_violations(page) == []

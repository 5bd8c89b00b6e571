"""The back office's dashboard on the admin index: its figures, what it shows to whom, and its cost."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.factories import StaffFactory, UserFactory
from catalog.factories import BookFactory
from checkout.dashboard import dashboard_for
from insights.models import DailyBookStats, DailySearchStats
from notifications.models import EmailNotification, NotificationStatus
from orders.factories import OrderFactory, OrderItemFactory
from orders.models import Order, OrderStatus, ReturnRequest, ReturnStatus
from payments.factories import PaymentFactory
from payments.models import PaymentStatus, Refund

pytestmark = pytest.mark.django_db


def _order(*, status=OrderStatus.PAID, placed=None, paid=None, lines=()):
    subtotal = sum((book.price * quantity for book, quantity in lines), Decimal("0.00"))
    order = OrderFactory(status=status, subtotal=subtotal)
    for book, quantity in lines:
        OrderItemFactory(order=order, book=book, quantity=quantity)
    Order.objects.filter(pk=order.pk).update(created_at=placed or timezone.now(), paid_at=paid)
    return order


@pytest.fixture
def shop():
    now = timezone.now()
    dune = BookFactory(title="Dune", price=Decimal("10.00"), stock=2)
    emma = BookFactory(title="Emma", price=Decimal("5.00"), stock=40, low_stock_threshold=50)
    BookFactory(title="Plenty", stock=40)
    _order(lines=[(dune, 2)], paid=now)  # today: 20.00
    _order(status=OrderStatus.SHIPPED, placed=now - timedelta(days=3), lines=[(emma, 2)])  # 10.00
    _order(placed=now - timedelta(days=2), paid=now - timedelta(days=2), lines=[(emma, 1)])  # 5.00, overdue
    _order(status=OrderStatus.PENDING, lines=[(dune, 1)])
    _order(status=OrderStatus.CANCELLED, lines=[(dune, 5)])
    _order(placed=now - timedelta(days=40), lines=[(dune, 9)])  # before the period
    today = timezone.localdate()
    DailyBookStats.objects.create(day=today, book_id=dune.pk, views=40, cart_adds=10, orders=4)
    DailySearchStats.objects.create(day=today, query="unicorns", searches=3, no_results=3)
    return dune, emma


def test_the_dashboard_figures(admin_user, shop):
    board = dashboard_for(admin_user)

    assert (board.today_orders, board.today_revenue, board.pending_orders) == (1, Decimal("20.00"), 1)
    assert (board.period_orders, board.period_revenue, board.average_order_value) == (
        3,
        Decimal("35.00"),
        Decimal("11.67"),
    )
    assert len(board.revenue_chart.bars) == 30
    assert [(row["title"], row["quantity"]) for row in board.top_books] == [("Emma", 3), ("Dune", 2)]
    assert [book.title for book in board.low_stock] == ["Dune", "Emma"] and board.low_stock_count == 2
    assert [(item.label, item.count) for item in board.needs_action] == [
        ("Paid over 24 h ago, not shipped", 1),
        ("Payments needing review", 0),
        ("Return requests to answer", 0),
        ("Failed notifications", 0),
    ]
    assert (board.today_refunds, board.period_refunds) == (Decimal("0.00"), Decimal("0.00"))
    assert (board.funnel.views, board.funnel.view_to_cart) == (40, Decimal("25.0"))
    assert board.empty_searches == [{"query": "unicorns", "no_results": 3}]


def test_the_dashboard_costs_the_same_few_queries_however_big_the_shop(
    admin_user, shop, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        dashboard_for(admin_user)
    for _ in range(20):
        _order(lines=[(BookFactory(stock=1), 1)], paid=timezone.now() - timedelta(days=2))
    with django_assert_max_num_queries(13):
        board = dashboard_for(admin_user)
    assert board.low_stock_count == 22 and board.needs_action[0].count == 21


def _refund(order, amount: str, *, days_ago: int = 0, surplus: bool = False) -> Refund:
    payment = PaymentFactory(order=order, status=PaymentStatus.SUCCEEDED)
    refund = Refund.objects.create(
        order=order, payment=payment, amount=Decimal(amount), currency="USD", surplus=surplus
    )
    Refund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return refund


def test_the_dashboard_counts_refunds_returns_to_answer_and_failed_emails(admin_client, admin_user, shop):
    order = Order.objects.filter(status=OrderStatus.PAID).first()
    _refund(order, "4.00")
    _refund(order, "6.50", days_ago=3)
    _refund(order, "99.00", days_ago=40)  # before the period
    _refund(order, "20.00", surplus=True)  # a payment returned whole: never a sale
    ReturnRequest.objects.create(order=order, reason="Too heavy.")
    ReturnRequest.objects.create(order=order, reason="Late.", status=ReturnStatus.REJECTED)
    now = timezone.now()
    for key, status in (("a", NotificationStatus.FAILED), ("b", NotificationStatus.PENDING)):
        EmailNotification.objects.create(
            key=key,
            to="a@example.com",
            template="t",
            subject="s",
            status=status,
            created_at=now,
            next_attempt_at=now,
        )

    board = dashboard_for(admin_user)

    assert (board.today_refunds, board.period_refunds) == (Decimal("4.00"), Decimal("10.50"))
    assert [(item.label, item.count) for item in board.needs_action][2:] == [
        ("Return requests to answer", 1),
        ("Failed notifications", 1),
    ]
    html = admin_client.get("/admin/").content.decode()
    assert "Refunded today" in html and "10.50" in html
    assert '<span class="bo-count">1</span> Return requests to answer' in html
    assert "/admin/orders/returnrequest/?status__exact=requested" in html
    assert "/admin/notifications/failedemailnotification/" in html
    listed = admin_client.get("/admin/orders/returnrequest/", {"status__exact": "requested"})
    assert listed.context["cl"].result_count == 1


def test_the_index_shows_the_dashboard_with_a_chart_and_the_low_stock_list(admin_client, shop):
    PaymentFactory(order=OrderFactory(), status=PaymentStatus.NEEDS_REVIEW)

    page = admin_client.get("/admin/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="img"' in html and "<desc" in html and "Revenue per day" in html
    assert 'id="low-stock"' in html and "Dune" in html
    assert '<span class="bo-count">1</span> Payments needing review' in html
    assert "/admin/orders/order/?shipping=overdue" in html
    assert "unicorns" in html


def test_the_overdue_link_lists_the_orders_to_ship(admin_client, shop):
    page = admin_client.get("/admin/orders/order/", {"shipping": "overdue"})

    assert page.status_code == 200 and page.context["cl"].result_count == 1


def test_staff_see_only_the_sections_they_may(shop):
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_book"))

    board = dashboard_for(staff)

    assert board.revenue_chart is None and board.top_books == [] and board.funnel is None
    assert [book.title for book in board.low_stock] == ["Dune", "Emma"]
    assert board.needs_action == []


# --- The users' pages ------------------------------------------------------------------------------


def test_the_user_list_and_page_show_orders_cancellations_and_spending(admin_client):
    buyer = UserFactory(email="buyer@example.com")
    book = BookFactory(price=Decimal("10.00"))
    for status in (OrderStatus.PAID, OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.PENDING):
        order = _order(status=status, lines=[(book, 1)])
        Order.objects.filter(pk=order.pk).update(user=buyer)

    listing = admin_client.get("/admin/accounts/user/", {"q": "buyer@example.com"})
    page = admin_client.get(f"/admin/accounts/user/{buyer.pk}/change/")

    (row,) = listing.context["cl"].result_list
    assert (row.order_count, row.cancelled_count, row.total_spent) == (4, 1, Decimal("20.00"))
    assert b"$20.00" in listing.content and b"$20.00" in page.content
    assert "deactivate_users" in listing.context["action_form"].fields["action"].choices.__str__()


def test_the_user_list_sorts_by_spending(admin_client):
    big, small = UserFactory(), UserFactory()
    book = BookFactory(price=Decimal("10.00"))
    for user, copies in ((big, 3), (small, 1)):
        order = _order(lines=[(book, copies)])
        Order.objects.filter(pk=order.pk).update(user=user)

    listing = admin_client.get("/admin/accounts/user/", {"o": "-10"})

    assert listing.status_code == 200
    spent = [user.total_spent for user in listing.context["cl"].result_list if user.total_spent]
    assert spent == sorted(spent, reverse=True)

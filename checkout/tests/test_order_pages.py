"""The order list, the order page, cancelling, and the live-status JSON, through Django's test client."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import order_checkout
from checkout.services import order_status_set
from orders.models import Coupon, Order, OrderStatus

pytestmark = pytest.mark.django_db

ORDERS = reverse("checkout:list")


def place(user, *, books=None, coupon_code=None) -> Order:
    """A real order through the checkout service: `books` maps each book to its quantity."""
    for book, quantity in (books or {BookFactory(stock=10): 1}).items():
        cart_add_book(user=user, book_id=book.pk, quantity=quantity)
    return order_checkout(user=user, coupon_code=coupon_code)


def stock_of(book) -> int:
    return Book.objects.get(pk=book.pk).stock


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def shopper(client, user):
    client.force_login(user)
    return client


# ---- orders:list ----------------------------------------------------------------------------------


def test_order_list_shows_my_orders_newest_first_with_status_badges(shopper, user):
    first = place(user, books={BookFactory(title="Dune"): 2})
    second = place(user, books={BookFactory(title="Emma"): 1})
    order_status_set(order_id=first.pk, to_status=OrderStatus.CANCELLED, actor=user)
    theirs = place(UserFactory())

    response = shopper.get(ORDERS)

    html = response.content.decode()
    assert response.status_code == 200
    assert [order.pk for order in response.context["orders"]] == [second.pk, first.pk]
    assert f"Order #{theirs.pk}<" not in html
    assert '<span class="status-badge status-badge--pending">Pending payment</span>' in html
    assert '<span class="status-badge status-badge--cancelled">Cancelled</span>' in html
    assert "Dune × 2" in html
    assert f'href="{reverse("checkout:detail", args=[second.pk])}"' in html


def test_order_list_is_paginated(shopper, user):
    book = BookFactory(stock=100)
    orders = [place(user, books={book: 1}) for _ in range(12)]

    first_page = shopper.get(ORDERS)
    second_page = shopper.get(ORDERS, {"page": 2})
    bogus_page = shopper.get(ORDERS, {"page": "x"})

    assert len(first_page.context["orders"]) == 10
    assert [order.pk for order in second_page.context["orders"]] == [orders[1].pk, orders[0].pk]
    assert 'rel="next"' in first_page.content.decode()
    assert bogus_page.status_code == 200


def test_order_list_without_orders(shopper):
    assert "No orders yet" in shopper.get(ORDERS).content.decode()


@pytest.mark.parametrize("name", ["checkout:list", "checkout:checkout"])
def test_order_pages_need_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# ---- orders:detail --------------------------------------------------------------------------------


def test_order_page_shows_lines_totals_address_and_pay_by(shopper, user):
    Coupon.objects.create(code="FIVE", amount_off=Decimal("5.00"))
    dune = BookFactory(title="Dune", price=Decimal("12.50"))
    emma = BookFactory(title="Emma", price=Decimal("3.35"))
    order = place(user, books={dune: 2, emma: 1}, coupon_code="five")

    response = shopper.get(reverse("checkout:detail", args=[order.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        f"Order #{order.pk}",
        "Dune",
        "$12.50",
        "$25.00",
        "Emma",
        "$28.35",  # subtotal
        "Discount (FIVE)",
        "−$5.00",
        "$23.35",  # total
        "Ada Reader<br>",
        "12 Analytical Row<br>",
        "Springfield, IL 62701",
        "Test Free (2–5 days)",  # the shipping method
        "Pending payment",
        "Please pay by",
        order.pay_by.strftime("%H:%M"),
    ]:
        assert text in html, text
    assert f'data-status-url="{reverse("checkout:status", args=[order.pk])}"' in html
    assert 'id="payment-heading"' in html  # the section the Pay button (orders/_pay.html) lives in
    assert "js/order-status.js" in html
    assert "Cancel order" in html


def test_paid_order_page_offers_cancel_but_no_payment_and_no_polling(shopper, user):
    order = place(user)
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)

    html = shopper.get(reverse("checkout:detail", args=[order.pk])).content.decode()

    assert '<span id="order-status" class="status-badge status-badge--paid"' in html
    assert "Please pay by" not in html
    assert 'id="payment-heading"' not in html
    assert "js/order-status.js" not in html
    assert "refunds your payment" in html
    assert "Cancel order" in html


@pytest.mark.parametrize("status", [OrderStatus.SHIPPED, OrderStatus.CANCELLED])
def test_orders_past_cancelling_offer_no_cancel_button(shopper, user, status):
    order = place(user)
    if status == OrderStatus.SHIPPED:
        order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)
    order_status_set(order_id=order.pk, to_status=status, by_staff=True)

    html = shopper.get(reverse("checkout:detail", args=[order.pk])).content.decode()

    assert "Cancel order" not in html


@pytest.mark.parametrize("path", ["OTHER", "/orders/999999/", f"/orders/{10**30}/", "/orders/abc/"])
def test_another_users_or_a_missing_order_is_404(shopper, path):
    theirs = place(UserFactory())
    path = reverse("checkout:detail", args=[theirs.pk]) if path == "OTHER" else path

    response = shopper.get(path)

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


# ---- orders:cancel --------------------------------------------------------------------------------


def test_cancel_returns_the_stock(shopper, user):
    book = BookFactory(stock=5)
    order = place(user, books={book: 3})

    response = shopper.post(reverse("checkout:cancel", args=[order.pk]))

    assert response.status_code == 302
    assert response.url == reverse("checkout:detail", args=[order.pk])
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert stock_of(book) == 5
    assert f"Order #{order.pk} has been cancelled." in message_texts(response)


def test_cancelling_twice_is_refused_and_returns_stock_once(shopper, user):
    book = BookFactory(stock=5)
    order = place(user, books={book: 3})
    shopper.post(reverse("checkout:cancel", args=[order.pk]))

    response = shopper.post(reverse("checkout:cancel", args=[order.pk]))

    assert response.status_code == 302
    assert any(text.startswith("Your order was not cancelled.") for text in message_texts(response))
    assert stock_of(book) == 5


def test_shipped_order_cannot_be_cancelled(shopper, user):
    book = BookFactory(stock=5)
    order = place(user, books={book: 2})
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)
    order_status_set(order_id=order.pk, to_status=OrderStatus.SHIPPED, by_staff=True)

    response = shopper.post(reverse("checkout:cancel", args=[order.pk]))

    assert any("cannot become cancelled" in text for text in message_texts(response))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
    assert stock_of(book) == 3


def test_cancel_of_another_users_order_says_no_such_order_and_changes_nothing(shopper):
    book = BookFactory(stock=5)
    theirs = place(UserFactory(), books={book: 2})

    response = shopper.post(reverse("checkout:cancel", args=[theirs.pk]))

    assert response.status_code == 302
    assert response.url == reverse("catalog:home")  # never to the other customer's order page
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your order was not cancelled. No such order."
    ]
    assert Order.objects.get(pk=theirs.pk).status == OrderStatus.PENDING
    assert stock_of(book) == 3


def test_cancel_needs_post_and_csrf(user):
    book = BookFactory(stock=5)
    order = place(user, books={book: 2})
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("checkout:cancel", args=[order.pk]))  # the confirmation: changes nothing
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)

    assert page.status_code == 200
    assert client.post(reverse("checkout:cancel", args=[order.pk])).status_code == 403
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert stock_of(book) == 3

    client.post(reverse("checkout:cancel", args=[order.pk]), {"csrfmiddlewaretoken": token})

    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert stock_of(book) == 5


def test_cancel_needs_login(client, user):
    order = place(user)

    response = client.post(reverse("checkout:cancel", args=[order.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


# ---- orders:status (live status JSON) -------------------------------------------------------------


def test_status_json_follows_the_order(shopper, user):
    order = place(user)
    url = reverse("checkout:status", args=[order.pk])

    pending = shopper.get(url)
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)
    paid = shopper.get(url)

    assert pending.status_code == 200
    assert pending.json() == {"status": "pending", "label": "Pending payment"}
    assert paid.json() == {"status": "paid", "label": "Paid"}
    assert "no-cache" in paid["Cache-Control"]


def test_status_json_is_one_small_query(shopper, user, django_assert_max_num_queries):
    order = place(user)
    shopper.get("/")  # load the session first

    with django_assert_max_num_queries(3):  # session, user, the status
        shopper.get(reverse("checkout:status", args=[order.pk]))


@pytest.mark.parametrize("path", ["OTHER", "/orders/999999/status.json", f"/orders/{10**30}/status.json"])
def test_status_json_of_another_users_or_a_missing_order_is_404(shopper, path):
    theirs = place(UserFactory())
    path = reverse("checkout:status", args=[theirs.pk]) if path == "OTHER" else path

    response = shopper.get(path)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "pending" not in response.content.decode()


def test_status_json_needs_login(client, user):
    order = place(user)

    response = client.get(reverse("checkout:status", args=[order.pk]))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_status_json_is_read_only(shopper, user):
    order = place(user)

    assert shopper.post(reverse("checkout:status", args=[order.pk])).status_code == 405


# ---- the cancel confirmation (GET orders:cancel) ----------------------------------------------------


def test_order_page_cancel_button_leads_to_the_confirmation(shopper, user):
    order = place(user)

    html = shopper.get(reverse("checkout:detail", args=[order.pk])).content.decode()

    # A GET form: it opens the confirmation page, it cancels nothing.
    assert f'<form method="get" action="{reverse("checkout:cancel", args=[order.pk])}">' in html
    assert "Cancel order…</button>" in html
    assert f'<form method="post" action="{reverse("checkout:cancel", args=[order.pk])}"' not in html


def test_confirmation_of_a_pending_order_says_the_books_go_back_and_nothing_is_charged(shopper, user):
    book = BookFactory(stock=5)
    order = place(user, books={book: 2})

    response = shopper.get(reverse("checkout:cancel", args=[order.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Cancel order #{order.pk}?" in html
    assert "go back on the shelf" in html and "nothing has been charged" in html and "refunded" not in html
    assert f'<form method="post" action="{reverse("checkout:cancel", args=[order.pk])}"' in html
    assert f"Yes, cancel order #{order.pk}</button>" in html
    assert f'href="{reverse("checkout:detail", args=[order.pk])}">No, keep my order</a>' in html
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING and stock_of(book) == 3


def test_confirmation_of_a_paid_order_says_it_is_refunded(shopper, user):
    order = place(user, books={BookFactory(stock=5, price=Decimal("12.50")): 2})
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)

    html = shopper.get(reverse("checkout:cancel", args=[order.pk])).content.decode()

    assert "your payment of <strong>$25.00</strong> is refunded in full" in html
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_confirmation_of_an_order_past_cancelling_goes_back_to_it(shopper, user):
    order = place(user)
    order_status_set(order_id=order.pk, to_status=OrderStatus.PAID)
    order_status_set(order_id=order.pk, to_status=OrderStatus.SHIPPED, by_staff=True)

    response = shopper.get(reverse("checkout:cancel", args=[order.pk]))

    assert response.status_code == 302 and response.url == reverse("checkout:detail", args=[order.pk])
    assert message_texts(response) == [f"Order #{order.pk} can no longer be cancelled."]


def test_confirmation_of_another_users_order_is_404(shopper):
    theirs = place(UserFactory())

    assert shopper.get(reverse("checkout:cancel", args=[theirs.pk])).status_code == 404


def test_confirmation_needs_login(client, user):
    order = place(user)

    response = client.get(reverse("checkout:cancel", args=[order.pk]))

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))

"""The checkout page through Django's test client: it places the order with `order_place` (as the API
does), and a refused checkout keeps the cart, the stock and what the shopper typed."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import order_checkout
from orders.models import Coupon, Order, OrderStatus

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("checkout:checkout")
ADDRESS = "Ada Reader\n1 Library Lane\nBooktown 12345"


def cart_lines(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("book_id", "quantity"))


def stock_of(book) -> int:
    return Book.objects.get(pk=book.pk).stock


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def shopper(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def two_books(user):
    dune = BookFactory(title="Dune", price=Decimal("12.50"), stock=5)
    emma = BookFactory(title="Emma", price=Decimal("3.35"), stock=4)
    cart_add_book(user=user, book_id=dune.pk, quantity=2)
    cart_add_book(user=user, book_id=emma.pk, quantity=1)
    return dune, emma


def test_checkout_needs_login(client):
    response = client.get(CHECKOUT)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={CHECKOUT}"


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(shopper):
    for response in (shopper.get(CHECKOUT), shopper.post(CHECKOUT, {"shipping_address": ADDRESS})):
        assert response.status_code == 302
        assert response.url == reverse("cart:detail")
        assert any("Your cart is empty" in text for text in message_texts(response))
    assert not Order.objects.exists()


def test_checkout_page_shows_the_cart_and_the_form(shopper, two_books):
    response = shopper.get(CHECKOUT)

    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Dune",
        "× 2",
        "$25.00",
        "Emma",
        "$3.35",
        "$28.35",
        "Shipping address",
        "Coupon code (optional)",
    ]:
        assert text in html
    assert '<textarea name="shipping_address"' in html
    assert "Place order" in html


def test_checkout_suggests_the_last_orders_address(shopper, user, two_books):
    order_checkout(user=user)
    cart_add_book(user=user, book_id=two_books[0].pk, quantity=1)

    response = shopper.get(CHECKOUT)

    assert response.context["form"]["shipping_address"].value() == ADDRESS


def test_checkout_places_the_order_and_empties_the_cart(
    shopper, user, two_books, django_capture_on_commit_callbacks
):
    dune, emma = two_books

    with django_capture_on_commit_callbacks(execute=True):
        response = shopper.post(CHECKOUT, {"shipping_address": ADDRESS, "coupon_code": ""})

    order = Order.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == reverse("checkout:detail", args=[order.pk])
    assert order.status == OrderStatus.PENDING
    assert order.total == Decimal("28.35")
    assert order.shipping_address == ADDRESS
    assert sorted(order.items.values_list("title", "quantity")) == [("Dune", 2), ("Emma", 1)]
    assert cart_lines(user) == {}
    assert (stock_of(dune), stock_of(emma)) == (3, 3)
    assert len(mail.outbox) == 1
    assert f"Thank you! Your order #{order.pk} has been placed." in message_texts(response)


def test_checkout_with_a_coupon_takes_the_discount(shopper, user, two_books):
    Coupon.objects.create(code="TEN", percent_off=Decimal("10"))

    shopper.post(CHECKOUT, {"shipping_address": ADDRESS, "coupon_code": "ten"})

    order = Order.objects.get(user=user)
    assert (order.subtotal, order.discount, order.total) == (
        Decimal("28.35"),
        Decimal("2.84"),
        Decimal("25.51"),
    )


def test_short_stock_keeps_the_cart_and_the_address_and_names_the_books(shopper, user, two_books):
    dune, emma = two_books
    rival = UserFactory()
    cart_add_book(user=rival, book_id=dune.pk, quantity=4)
    order_checkout(user=rival)  # takes 4 of the 5 copies of Dune
    mail.outbox.clear()

    response = shopper.post(CHECKOUT, {"shipping_address": ADDRESS, "coupon_code": ""})

    html = response.content.decode()
    assert response.status_code == 409
    assert "“Dune”: you asked for 2, only 1 left." in html
    assert "Nothing was ordered and your cart is unchanged." in html
    assert "Only 1 left" in html  # the summary shows the shelf as it is now
    assert ADDRESS in html
    assert cart_lines(user) == {dune.pk: 2, emma.pk: 1}
    assert (stock_of(dune), stock_of(emma)) == (1, 4)
    assert not Order.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_a_book_removed_from_the_catalog_blocks_checkout(shopper, user, two_books):
    dune, _ = two_books
    Book.objects.filter(pk=dune.pk).update(is_active=False)

    response = shopper.post(CHECKOUT, {"shipping_address": ADDRESS})

    assert response.status_code == 409
    assert "“Dune”: you asked for 2, none left." in response.content.decode()
    assert len(cart_lines(user)) == 2
    assert not Order.objects.exists()


@pytest.mark.parametrize("code", ["NOPE", "EXPIRED", "USEDUP", "TOOSMALL"])
def test_invalid_coupon_keeps_the_cart_and_the_address(shopper, user, two_books, code):
    Coupon.objects.create(code="EXPIRED", amount_off=Decimal("5"), valid_until=timezone.now())
    Coupon.objects.create(code="USEDUP", amount_off=Decimal("5"), max_uses=1, used_count=1)
    Coupon.objects.create(code="TOOSMALL", amount_off=Decimal("5"), min_subtotal=Decimal("100"))
    dune, emma = two_books

    response = shopper.post(CHECKOUT, {"shipping_address": ADDRESS, "coupon_code": code})

    form = response.context["form"]
    assert response.status_code == 400
    assert form.errors["coupon_code"]
    assert form["shipping_address"].value() == ADDRESS
    assert form["coupon_code"].value() == code
    assert ADDRESS in response.content.decode()
    assert cart_lines(user) == {dune.pk: 2, emma.pk: 1}
    assert (stock_of(dune), stock_of(emma)) == (5, 4)
    assert not Order.objects.exists()
    assert Coupon.objects.get(code="USEDUP").used_count == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"shipping_address": ""}, "shipping_address"),
        ({"shipping_address": "   \n  "}, "shipping_address"),
        ({}, "shipping_address"),
        ({"shipping_address": "x" * 1001}, "shipping_address"),
        ({"shipping_address": ADDRESS, "coupon_code": "C" * 41}, "coupon_code"),
    ],
)
def test_invalid_form_shows_the_error_and_changes_nothing(shopper, user, two_books, data, field):
    response = shopper.post(CHECKOUT, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'aria-invalid="true"' in response.content.decode()
    assert len(cart_lines(user)) == 2
    assert not Order.objects.exists()
    assert stock_of(two_books[0]) == 5


def test_checkout_enforces_csrf(user, two_books):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = client.get(CHECKOUT).context["csrf_token"]

    refused = client.post(CHECKOUT, {"shipping_address": ADDRESS})

    assert refused.status_code == 403
    assert not Order.objects.exists()
    assert len(cart_lines(user)) == 2

    accepted = client.post(CHECKOUT, {"shipping_address": ADDRESS, "csrfmiddlewaretoken": str(token)})

    assert accepted.status_code == 302
    assert Order.objects.filter(user=user).count() == 1


def test_checkout_refuses_other_methods(shopper, two_books):
    assert shopper.put(CHECKOUT).status_code == 405

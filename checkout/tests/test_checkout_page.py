"""The checkout page through Django's test client: it shows the quote (subtotal, discount, shipping, tax,
total) before the order is placed, updates it without scripts ("Update totals"), and places the order
with `order_place` (as the API does); a refused checkout keeps the cart, the stock and what the shopper
typed."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ADDRESS, AddressFactory, UserFactory
from accounts.models import Address
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.factories import checkout_form, order_checkout
from orders.factories import ShippingMethodFactory, TaxRateFactory
from orders.models import Coupon, Order, OrderStatus

pytestmark = pytest.mark.django_db

CHECKOUT = reverse("checkout:checkout")


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


@pytest.fixture
def us_shop():
    """A US ground method (5.00 + 1.00 a copy) and a 7 % reduced rate in Illinois."""
    ShippingMethodFactory(
        code="ground", name="Ground", countries=["US"], base_price="5.00", per_item_price="1.00"
    )
    TaxRateFactory(country="US", region="IL", tax_class="reduced", rate=Decimal("0.0700"))


def saved_address_form(address, **fields) -> dict:
    return {"address": str(address.pk), "shipping_method": "ground", "coupon_code": "", "note": "", **fields}


def test_checkout_needs_login(client):
    response = client.get(CHECKOUT)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={CHECKOUT}"


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(shopper):
    for response in (shopper.get(CHECKOUT), shopper.post(CHECKOUT, checkout_form())):
        assert response.status_code == 302
        assert response.url == reverse("cart:detail")
        assert any("Your cart is empty" in text for text in message_texts(response))
    assert not Order.objects.exists()


def test_checkout_shows_the_totals_before_the_order_is_placed(shopper, user, two_books, us_shop):
    AddressFactory(user=user)

    response = shopper.get(CHECKOUT)

    html = response.content.decode()
    assert response.status_code == 200
    quote = response.context["quote"].figures
    # 28.35 of books; shipping 5.00 + 3 × 1.00; tax 7 % of 28.35 = 1.98 (shipping: no standard rate).
    assert (quote.subtotal, quote.discount, quote.shipping, quote.tax, quote.total) == (
        Decimal("28.35"),
        Decimal("0.00"),
        Decimal("8.00"),
        Decimal("1.98"),
        Decimal("38.33"),
    )
    for text in ["Dune", "× 2", "Emma", "$8.00", "$1.98", "$38.33", "Ground", "Coupon code (optional)"]:
        assert text in html, text
    assert "js/checkout.js" in html and "Update totals" in html and "Place order" in html
    assert not Order.objects.exists()


def test_update_totals_requotes_without_placing(shopper, user, two_books, us_shop):
    address = AddressFactory(user=user)
    Coupon.objects.create(code="TEN", percent_off=Decimal("10"))

    response = shopper.post(CHECKOUT, saved_address_form(address, coupon_code="ten", action="update"))

    assert response.status_code == 200
    quote = response.context["quote"].figures
    assert (quote.discount, quote.tax, quote.total) == (Decimal("2.84"), Decimal("1.79"), Decimal("35.30"))
    assert "−$2.84" in response.content.decode()
    assert not Order.objects.exists() and len(cart_lines(user)) == 2


def test_checkout_places_the_order_with_the_quotes_figures(
    shopper, user, two_books, us_shop, django_capture_on_commit_callbacks
):
    dune, emma = two_books
    address = AddressFactory(user=user)
    quote = shopper.get(CHECKOUT).context["quote"].figures

    with django_capture_on_commit_callbacks(execute=True):
        response = shopper.post(
            CHECKOUT, saved_address_form(address, note="Leave it at the door.", action="place")
        )

    order = Order.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == reverse("checkout:detail", args=[order.pk])
    assert order.status == OrderStatus.PENDING
    assert (order.subtotal, order.shipping, order.tax, order.total) == (
        quote.subtotal,
        quote.shipping,
        quote.tax,
        quote.total,
    )
    assert order.shipping_address == {**ADDRESS}
    assert (order.shipping_method["code"], order.note) == ("ground", "Leave it at the door.")
    assert cart_lines(user) == {}
    assert (stock_of(dune), stock_of(emma)) == (3, 3)
    assert len(mail.outbox) == 1
    assert f"Thank you! Your order #{order.pk} has been placed." in message_texts(response)


def test_a_new_address_is_used_and_joins_the_address_book(shopper, user, two_books):
    response = shopper.post(CHECKOUT, checkout_form(**{"new-postal_code": "62701-1234"}))

    order = Order.objects.get(user=user)
    assert response.status_code == 302
    assert order.shipping_address["postal_code"] == "62701-1234"
    saved = Address.objects.get(user=user)
    assert (saved.postal_code, saved.is_default) == ("62701-1234", True)


def test_an_invalid_new_address_is_shown_beside_its_fields(shopper, user, two_books):
    response = shopper.post(CHECKOUT, checkout_form(**{"new-postal_code": "ABC", "new-country": "US"}))

    assert response.status_code == 200
    assert response.context["address_form"].errors["postal_code"] == [
        "Enter a valid ZIP code for United States of America, such as 95014."
    ]
    assert not Order.objects.exists() and not Address.objects.exists()
    assert len(cart_lines(user)) == 2


def test_a_method_that_does_not_serve_the_country_is_refused_beside_the_method(
    shopper, user, two_books, us_shop
):
    ShippingMethodFactory(code="uk-post", countries=["GB"])
    address = AddressFactory(user=user)

    response = shopper.post(CHECKOUT, saved_address_form(address, shipping_method="uk-post", action="place"))

    assert response.status_code == 200
    assert response.context["form"].errors["shipping_method"]
    assert not Order.objects.exists() and len(cart_lines(user)) == 2


def test_short_stock_keeps_the_cart_and_names_the_books(shopper, user, two_books):
    dune, emma = two_books
    rival = UserFactory()
    cart_add_book(user=rival, book_id=dune.pk, quantity=4)
    order_checkout(user=rival)  # takes 4 of the 5 copies of Dune
    mail.outbox.clear()

    response = shopper.post(CHECKOUT, checkout_form())

    html = response.content.decode()
    assert response.status_code == 409
    assert "“Dune”: you asked for 2, only 1 left." in html
    assert "Nothing was ordered and your cart is unchanged." in html
    assert "Only 1 left" in html  # the summary shows the shelf as it is now
    assert ADDRESS["line1"] in html  # what the shopper typed is still there
    assert cart_lines(user) == {dune.pk: 2, emma.pk: 1}
    assert (stock_of(dune), stock_of(emma)) == (1, 4)
    assert not Order.objects.filter(user=user).exists()
    assert not Address.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_a_book_removed_from_the_catalog_blocks_checkout(shopper, user, two_books):
    dune, _ = two_books
    Book.objects.filter(pk=dune.pk).update(is_active=False)

    response = shopper.post(CHECKOUT, checkout_form())

    assert response.status_code == 409
    assert "“Dune”: you asked for 2, none left." in response.content.decode()
    assert len(cart_lines(user)) == 2
    assert not Order.objects.exists()


@pytest.mark.parametrize("code", ["NOPE", "EXPIRED", "USEDUP", "TOOSMALL"])
def test_invalid_coupon_keeps_the_cart_and_the_input(shopper, user, two_books, code):
    Coupon.objects.create(code="EXPIRED", amount_off=Decimal("5"), valid_until=timezone.now())
    Coupon.objects.create(code="USEDUP", amount_off=Decimal("5"), max_uses=1, used_count=1)
    Coupon.objects.create(code="TOOSMALL", amount_off=Decimal("5"), min_subtotal=Decimal("100"))
    dune, emma = two_books

    response = shopper.post(CHECKOUT, checkout_form(coupon_code=code))

    form = response.context["form"]
    assert response.status_code == 400
    assert form.errors["coupon_code"]
    assert form["coupon_code"].value() == code
    assert response.context["address_form"]["line1"].value() == ADDRESS["line1"]
    assert cart_lines(user) == {dune.pk: 2, emma.pk: 1}
    assert (stock_of(dune), stock_of(emma)) == (5, 4)
    assert not Order.objects.exists()
    assert Coupon.objects.get(code="USEDUP").used_count == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"address": ""}, "address"),
        ({"address": "999999"}, "address"),
        ({"shipping_method": ""}, "shipping_method"),
        ({"coupon_code": "C" * 41}, "coupon_code"),
        ({"note": "n" * 501}, "note"),
    ],
)
def test_invalid_form_shows_the_error_and_changes_nothing(shopper, user, two_books, data, field):
    response = shopper.post(CHECKOUT, checkout_form(**data))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'aria-invalid="true"' in response.content.decode() or field == "address"
    assert len(cart_lines(user)) == 2
    assert not Order.objects.exists()
    assert stock_of(two_books[0]) == 5


def test_checkout_enforces_csrf(user, two_books):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = client.get(CHECKOUT).context["csrf_token"]

    refused = client.post(CHECKOUT, checkout_form())

    assert refused.status_code == 403
    assert not Order.objects.exists()
    assert len(cart_lines(user)) == 2

    accepted = client.post(CHECKOUT, checkout_form(csrfmiddlewaretoken=str(token)))

    assert accepted.status_code == 302
    assert Order.objects.filter(user=user).count() == 1


def test_checkout_refuses_other_methods(shopper, two_books):
    assert shopper.put(CHECKOUT).status_code == 405

"""POST /api/cart/quote/ and the order placed from the same input: exactly the same figures, computed
by one function (`checkout.quotes.checkout_quote`); the Stripe amount is the order's total. Examples
first, then a Hypothesis property over random carts, coupons, rates, methods and both tax modes."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.factories import ADDRESS, AddressFactory, UserFactory
from cart.models import CartItem
from cart.services import cart_add_book
from catalog.factories import BookFactory
from catalog.models import Book
from checkout.services import order_place, payment_intent_for_order
from orders.factories import CouponFactory, ShippingMethodFactory, TaxRateFactory
from orders.models import Coupon, Order

pytestmark = pytest.mark.django_db

QUOTE = "/api/cart/quote/"
ORDERS = "/api/orders/"
FIGURES = ("subtotal", "discount", "shipping", "tax", "total")
D = Decimal


@pytest.fixture
def us_shop():
    """Ground to the US and Canada (4.00 + 0.50 a copy, free from 60.00 after discount); Illinois taxes
    books at 6.25 % and shipping at 10 %, the US elsewhere nothing."""
    ShippingMethodFactory(
        code="ground",
        name="Ground",
        countries=["US", "CA"],
        base_price=D("4.00"),
        per_item_price=D("0.50"),
        free_over=D("60.00"),
        estimated_days_min=3,
        estimated_days_max=6,
    )
    ShippingMethodFactory(code="uk-post", countries=["GB"], base_price=D("3.00"))
    TaxRateFactory(country="US", region="IL", tax_class="reduced", rate=D("0.0625"))
    TaxRateFactory(country="US", region="IL", tax_class="standard", rate=D("0.1000"))


@pytest.fixture
def cart(user):
    dune = BookFactory(title="Dune", price=D("12.50"), stock=10)
    emma = BookFactory(title="Emma", price=D("3.35"), stock=10, tax_class="standard")
    cart_add_book(user=user, book_id=dune.pk, quantity=2)
    cart_add_book(user=user, book_id=emma.pk, quantity=1)
    return dune, emma


def body(**fields):
    return {"shipping_address": dict(ADDRESS), "shipping_method": "ground", **fields}


def test_the_quote_has_every_figure_by_the_contracts_rules(user_client, us_shop, cart):
    dune, emma = cart
    CouponFactory(code="TEN", percent_off=D("10"))

    response = user_client.post(QUOTE, body(coupon_code="ten"), format="json")

    assert response.status_code == 200, response.content
    quote = response.json()
    # subtotal 28.35; discount round(2.835) = 2.84, spread 25.00 : 3.35 → 2.50 + 0.34 (largest remainder)
    # shipping 4.00 + 3 × 0.50 = 5.50; tax: (25.00 − 2.50) × 6.25 % = 1.41, (3.35 − 0.34) × 10 % = 0.30,
    # shipping 5.50 × 10 % = 0.55; total 28.35 − 2.84 + 5.50 + 2.26 = 33.27.
    assert [quote[name] for name in FIGURES] == ["28.35", "2.84", "5.50", "2.26", "33.27"]
    assert [
        (line["book_id"], line["discount"], line["tax_rate"], line["tax"]) for line in quote["lines"]
    ] == [
        (dune.pk, "2.50", "0.0625", "1.41"),
        (emma.pk, "0.34", "0.1000", "0.30"),
    ]
    assert quote["currency"] == "USD" and quote["prices_include_tax"] is False
    assert quote["shipping_method"] == {
        "code": "ground",
        "name": "Ground",
        "price": "4.00",
        "per_item_price": "0.50",
        "free_over": "60.00",
        "estimated_days_min": 3,
        "estimated_days_max": 6,
    }
    assert quote["shipping_address"] == ADDRESS


def test_the_order_placed_from_the_same_input_has_exactly_the_quotes_figures(
    user, user_client, us_shop, cart
):
    CouponFactory(code="TEN", percent_off=D("10"))
    quote = user_client.post(QUOTE, body(coupon_code="TEN"), format="json").json()

    response = user_client.post(ORDERS, body(coupon_code="TEN", note="Gift wrap, please."), format="json")

    assert response.status_code == 201, response.content
    order = response.json()
    assert [order[name] for name in FIGURES] == [quote[name] for name in FIGURES]
    assert [(i["book_id"], i["discount"], i["tax_rate"], i["tax"]) for i in order["items"]] == [
        (line["book_id"], line["discount"], line["tax_rate"], line["tax"]) for line in quote["lines"]
    ]
    assert order["shipping_method"] == quote["shipping_method"]
    assert order["shipping_address"] == quote["shipping_address"] and order["note"] == "Gift wrap, please."


def test_shipping_is_free_once_the_discounted_subtotal_reaches_free_over(user, user_client, us_shop):
    cart_add_book(user=user, book_id=BookFactory(price=D("60.00"), stock=3).pk, quantity=1)
    assert user_client.post(QUOTE, body(), format="json").json()["shipping"] == "0.00"

    CouponFactory(code="ONE", percent_off=None, amount_off=D("0.01"))
    discounted = user_client.post(QUOTE, body(coupon_code="ONE"), format="json").json()
    assert (discounted["discount"], discounted["shipping"]) == ("0.01", "4.50")


def test_a_region_rate_replaces_the_country_rate_and_no_rate_is_zero(user, user_client, us_shop, cart):
    TaxRateFactory(country="US", region="", tax_class="reduced", rate=D("0.0400"))

    illinois = user_client.post(QUOTE, body(), format="json").json()
    ohio = user_client.post(
        QUOTE, body(shipping_address={**ADDRESS, "region": "OH", "postal_code": "43004"}), format="json"
    ).json()

    assert [line["tax_rate"] for line in illinois["lines"]] == ["0.0625", "0.1000"]
    assert [line["tax_rate"] for line in ohio["lines"]] == ["0.0400", "0.0000"]


def test_prices_that_include_tax_show_the_tax_contained(user, user_client, cart, settings):
    settings.PRICES_INCLUDE_TAX = True
    ShippingMethodFactory(code="dhl-de", countries=["DE"], base_price=D("4.90"))
    TaxRateFactory(country="DE", tax_class="reduced", rate=D("0.0700"))
    TaxRateFactory(country="DE", tax_class="standard", rate=D("0.1900"))
    berlin = {**ADDRESS, "city": "Berlin", "region": "", "postal_code": "10115", "country": "DE"}

    quote = user_client.post(
        QUOTE, {"shipping_address": berlin, "shipping_method": "dhl-de"}, format="json"
    ).json()

    # Gross: 25.00 contains 25 × 7/107 = 1.64; 3.35 contains 19/119 → 0.53; shipping 4.90 → 0.78.
    assert [quote[name] for name in FIGURES] == ["28.35", "0.00", "4.90", "2.95", "33.25"]
    assert quote["prices_include_tax"] is True
    order = user_client.post(
        ORDERS, {"shipping_address": berlin, "shipping_method": "dhl-de"}, format="json"
    ).json()
    assert [order[name] for name in FIGURES] == [quote[name] for name in FIGURES]


def test_a_saved_address_is_quoted_by_its_id(user, user_client, us_shop, cart):
    address = AddressFactory(user=user)

    by_id = user_client.post(QUOTE, {"address_id": address.pk, "shipping_method": "ground"}, format="json")

    assert by_id.status_code == 200
    assert by_id.json()["total"] == user_client.post(QUOTE, body(), format="json").json()["total"]


def test_the_quote_stores_and_reserves_nothing(user, user_client, us_shop, cart):
    coupon = CouponFactory(code="ONCE", percent_off=D("5"), max_uses=1)

    for _ in range(3):
        assert user_client.post(QUOTE, body(coupon_code="ONCE"), format="json").status_code == 200

    assert not Order.objects.exists()
    assert [Book.objects.get(pk=b.pk).stock for b in cart] == [10, 10]
    assert Coupon.objects.get(pk=coupon.pk).used_count == 0
    assert CartItem.objects.filter(cart__user=user).count() == 2


def _nothing_changed(user, books):
    assert not Order.objects.exists()
    assert [Book.objects.get(pk=b.pk).stock for b in books] == [10, 10]
    assert CartItem.objects.filter(cart__user=user).count() == 2


@pytest.mark.parametrize("path", [QUOTE, ORDERS])
@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"shipping_method": "uk-post"}, 400, "shipping_unavailable", None),
        ({"shipping_method": "teleport"}, 400, "shipping_unavailable", None),
        ({"coupon_code": "NOPE"}, 400, "invalid_coupon", None),
        ({"shipping_address": {**ADDRESS, "country": "XX"}}, 400, None, "shipping_address"),
        ({"shipping_address": {**ADDRESS, "postal_code": "ABCDE"}}, 400, None, "shipping_address"),
        ({"shipping_address": "1 Long Road, Springfield"}, 400, None, "shipping_address"),
        ({"shipping_address": None}, 400, None, "shipping_address"),
        ({"address_id": 1, "shipping_address": dict(ADDRESS)}, 400, None, "address_id"),
        ({"address_id": 999999, "shipping_address": None}, 404, "not_found", None),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    user, user_client, us_shop, cart, path, change, status, code, field
):
    request = {key: value for key, value in body(**change).items() if value is not None}

    response = user_client.post(path, request, format="json")

    assert response.status_code == status, response.content
    if code:
        assert response.json()["code"] == code and response.json()["detail"]
    else:
        assert field in response.json()
    _nothing_changed(user, cart)


def test_an_old_client_sending_the_address_as_text_is_told_the_objects_shape(user_client, us_shop, cart):
    response = user_client.post(ORDERS, body(shipping_address="1 Long Road\nSpringfield"), format="json")

    assert response.status_code == 400
    (message,) = response.json()["shipping_address"]
    assert "{full_name, line1, line2, city, region, postal_code, country, phone}" in message
    assert "address_id" in message


def test_another_users_address_is_not_found(user_client, us_shop, cart):
    theirs = AddressFactory(user=UserFactory())

    response = user_client.post(QUOTE, {"address_id": theirs.pk, "shipping_method": "ground"}, format="json")

    assert response.status_code == 404


def test_an_empty_cart_is_400_cart_empty(user_client, us_shop):
    response = user_client.post(QUOTE, body(), format="json")

    assert (response.status_code, response.json()["code"]) == (400, "cart_empty")


def test_the_public_list_shows_the_methods_of_a_country(api_client, us_shop):
    ShippingMethodFactory(code="off", countries=["US"], is_active=False)
    ShippingMethodFactory(code="anywhere", base_price=D("9.00"))

    us = api_client.get("/api/shipping-methods/?country=us").json()["results"]
    gb = api_client.get("/api/shipping-methods/?country=GB").json()["results"]

    assert [m["code"] for m in us] == ["ground", "anywhere"]
    assert [m["code"] for m in gb] == ["uk-post", "anywhere"]
    assert api_client.get("/api/shipping-methods/?country=XX").status_code == 400


def test_deleting_an_address_never_changes_an_order(user, user_client, us_shop, cart):
    address = AddressFactory(user=user, line1="1 Old Street")
    order = order_place(user=user, address_id=address.pk, shipping_method="ground")

    user_client.patch(f"/api/addresses/{address.pk}/", {"line1": "2 New Street"}, format="json")
    user_client.delete(f"/api/addresses/{address.pk}/")

    order.refresh_from_db()
    assert order.shipping_address["line1"] == "1 Old Street"


# --- the property: quote = order = Stripe amount, and the identity ------------------------------------

money = st.decimals(min_value=D("0.01"), max_value=D("250.00"), places=2)
rates = st.decimals(min_value=D("0"), max_value=D("0.3000"), places=4)
coupons = st.one_of(
    st.none(),
    st.builds(lambda p: {"percent_off": p}, st.decimals(min_value=D("0.01"), max_value=D("100"), places=2)),
    st.builds(lambda a: {"amount_off": a}, money),
)


@pytest.mark.stripe
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(
        st.tuples(money, st.integers(1, 4), st.sampled_from(["standard", "reduced", "zero"])),
        min_size=1,
        max_size=4,
    ),
    coupon=coupons,
    reduced=rates,
    standard=rates,
    base=st.decimals(min_value=D("0"), max_value=D("20"), places=2),
    per_item=st.decimals(min_value=D("0"), max_value=D("3"), places=2),
    free_over=st.one_of(st.none(), money),
    prices_include_tax=st.booleans(),
)
def test_quote_equals_order_equals_stripe_amount(
    stripe_api, lines, coupon, reduced, standard, base, per_item, free_over, prices_include_tax
):
    from conftest import client_for

    with transaction.atomic(), override_settings(PRICES_INCLUDE_TAX=prices_include_tax):
        user = UserFactory()
        client = client_for(user)
        ShippingMethodFactory(
            code="prop", base_price=base, per_item_price=per_item, free_over=free_over, countries=["US"]
        )
        TaxRateFactory(country="US", region="IL", tax_class="reduced", rate=reduced)
        TaxRateFactory(country="US", region="", tax_class="standard", rate=standard)
        for price, quantity, tax_class in lines:
            book = BookFactory(price=price, stock=10, tax_class=tax_class)
            CartItem.objects.create(cart=_cart(user), book=book, quantity=quantity)
        request = body(shipping_method="prop")
        if coupon:
            CouponFactory(code="PROP", **{"percent_off": None, **coupon})
            request["coupon_code"] = "PROP"

        quote = client.post(QUOTE, request, format="json").json()
        placed = client.post(ORDERS, request, format="json")
        assert placed.status_code == 201, placed.content
        order = placed.json()
        assert [order[name] for name in FIGURES] == [quote[name] for name in FIGURES]
        subtotal, discount, shipping, tax, total = (D(order[name]) for name in FIGURES)
        expected = subtotal - discount + shipping + (D(0) if prices_include_tax else tax)
        assert total == expected
        assert sum(D(item["discount"]) for item in order["items"]) == discount
        if total:
            payment, created = payment_intent_for_order(order_id=order["id"])
            assert created and payment.amount == total
            assert stripe_api.intent(payment.payment_intent_id)["amount"] == int(total * 100)
        transaction.set_rollback(True)


def _cart(user):
    from cart.models import Cart

    return Cart.objects.get_or_create(user=user)[0]

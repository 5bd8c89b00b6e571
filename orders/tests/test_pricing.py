"""The contract's money rules (orders.pricing): worked examples, then Hypothesis properties.

The properties check the pure functions against the contract's formulas written out again with plain
Decimal arithmetic, so a mistake in the Fraction-based rounding would show as a disagreement.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orders.pricing import (
    TAX_CLASSES,
    CouponTerms,
    PricedLineInput,
    ShippingTerms,
    allocate_proportionally,
    coupon_discount_compute,
    quote_compute,
    resolve_rates,
    round_half_up,
)

D = Decimal
CENT = D("0.01")
NO_TAX: dict[str, Decimal] = {}


def line(price: str, quantity: int = 1, tax_class: str = "reduced", key: object = None) -> PricedLineInput:
    return PricedLineInput(key=key, unit_price=D(price), quantity=quantity, tax_class=tax_class)


def contract_round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- rounding and allocation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.005", "0.01"), ("0.0049999", "0.00"), ("1.125", "1.13"), ("2.675", "2.68"), ("-0.005", "-0.01")],
)
def test_round_half_up_rounds_halves_away_from_zero(value, expected):
    rounded = round_half_up(D(value))
    assert rounded == D(expected)
    assert rounded.as_tuple().exponent == -2


def test_allocation_gives_the_leftover_cent_to_the_largest_remainder_then_the_first_position():
    assert allocate_proportionally(D("1.00"), [D("1"), D("1"), D("1")]) == [D("0.34"), D("0.33"), D("0.33")]
    # 2 cents over 1:3 are 0.5 and 1.5 cents: equal remainders, so the larger weight gets the cent.
    assert allocate_proportionally(D("0.02"), [D("1"), D("3")]) == [D("0.00"), D("0.02")]


def test_allocation_of_a_discount_equal_to_the_weights_is_the_weights():
    weights = [D("3.33"), D("0.01"), D("10.00")]
    assert allocate_proportionally(D("13.34"), weights) == weights


def test_allocation_never_gives_a_zero_weight_anything():
    assert allocate_proportionally(D("1.00"), [D("0"), D("5.00"), D("0")]) == [
        D("0.00"),
        D("1.00"),
        D("0.00"),
    ]


def test_allocation_of_nothing_over_zero_weights_is_zeros():
    assert allocate_proportionally(D("0.00"), [D("0"), D("0")]) == [D("0.00"), D("0.00")]
    assert allocate_proportionally(D("0"), []) == []


@pytest.mark.parametrize(
    ("total", "weights", "error"),
    [
        ("1.00", ["0", "0"], ValueError),  # no proportion to follow
        ("1.00", [], ValueError),
        ("1.00", ["-1", "2"], ValueError),
        ("0.001", ["1"], ValueError),  # not whole cents
        ("-1.00", ["1"], ValueError),
    ],
)
def test_allocation_refuses_what_has_no_answer(total, weights, error):
    with pytest.raises(error):
        allocate_proportionally(D(total), [D(weight) for weight in weights])


# --- coupons -------------------------------------------------------------------------------------------


def test_percentage_discount_is_rounded_half_up_to_cents():
    # 5 % of 10.10 is 0.505: half up gives 0.51 (banker's rounding would give 0.50).
    quote = quote_compute(lines=[line("10.10")], coupon=CouponTerms(percent_off=D("5")), rates=NO_TAX)
    assert quote.discount == D("0.51")
    # 15 % of 33.33 is 4.9995.
    assert coupon_discount_compute(coupon=CouponTerms(percent_off=D("15")), subtotal=D("33.33")) == D("5.00")


def test_amount_coupon_larger_than_the_subtotal_discounts_the_whole_subtotal_and_not_shipping():
    quote = quote_compute(
        lines=[line("12.00", tax_class="standard"), line("8.00", tax_class="reduced")],
        coupon=CouponTerms(amount_off=D("50.00")),
        shipping=ShippingTerms(base_price=D("4.00")),
        rates={"standard": D("0.1000"), "reduced": D("0.0500")},
    )
    assert quote.subtotal == D("20.00")
    assert quote.discount == D("20.00")
    assert [item.discount for item in quote.lines] == [D("12.00"), D("8.00")]
    assert [item.tax for item in quote.lines] == [D("0.00"), D("0.00")]
    assert (quote.shipping, quote.shipping_tax, quote.tax) == (D("4.00"), D("0.40"), D("0.40"))
    assert quote.total == D("4.40")


def test_discount_is_spread_over_lines_in_proportion_to_their_totals():
    quote = quote_compute(
        lines=[line("10.00", 3, key="a"), line("5.55", key="b")],
        coupon=CouponTerms(percent_off=D("15")),
        rates=NO_TAX,
    )
    # 5.3325 → 5.33; shares 449.79 and 83.21 cents, the spare cent to the larger remainder.
    assert quote.discount == D("5.33")
    assert [(item.key, item.discount) for item in quote.lines] == [("a", D("4.50")), ("b", D("0.83"))]


@pytest.mark.parametrize(
    "terms",
    [
        {},
        {"percent_off": D("10"), "amount_off": D("1.00")},
        {"percent_off": D("0")},
        {"percent_off": D("100.01")},
        {"amount_off": D("0.00")},
        {"amount_off": D("1.005")},
    ],
)
def test_coupon_terms_the_coupon_model_forbids_are_refused(terms):
    with pytest.raises(ValueError):
        CouponTerms(**terms)


# --- shipping ------------------------------------------------------------------------------------------


def test_shipping_is_base_plus_per_item_times_copies():
    quote = quote_compute(
        lines=[line("10.00", 2), line("3.00", 3)],
        shipping=ShippingTerms(base_price=D("3.00"), per_item_price=D("0.50"), free_over=D("100.00")),
        rates=NO_TAX,
    )
    assert quote.shipping == D("5.50")  # 3.00 + 0.50 × 5 copies
    assert quote.total == D("34.50")


def test_shipping_is_free_when_the_subtotal_after_discount_reaches_free_over_exactly():
    terms = ShippingTerms(base_price=D("4.99"), per_item_price=D("1.00"), free_over=D("50.00"))
    at_threshold = quote_compute(
        lines=[line("60.00")], coupon=CouponTerms(amount_off=D("10.00")), shipping=terms, rates=NO_TAX
    )
    assert at_threshold.shipping == D("0.00")
    assert at_threshold.total == D("50.00")

    # Above the threshold before the discount, a cent under it after: shipping is charged.
    below = quote_compute(
        lines=[line("60.00")], coupon=CouponTerms(amount_off=D("10.01")), shipping=terms, rates=NO_TAX
    )
    assert below.shipping == D("5.99")
    assert below.total == D("55.98")


def test_free_over_none_never_makes_shipping_free():
    quote = quote_compute(
        lines=[line("9999.99", 50)], shipping=ShippingTerms(base_price=D("2.00")), rates=NO_TAX
    )
    assert quote.shipping == D("2.00")


# --- tax rates -----------------------------------------------------------------------------------------

RATE_ROWS = [
    ("US", "", "standard", D("0.0500")),
    ("US", "", "reduced", D("0.0200")),
    ("US", "CA", "standard", D("0.0725")),
    ("DE", "", "standard", D("0.1900")),
]


def test_a_region_rate_replaces_the_country_rate_of_its_class_only():
    assert resolve_rates(RATE_ROWS, country="US", region="CA") == {
        "standard": D("0.0725"),
        "reduced": D("0.0200"),
        "zero": D("0.0000"),
    }
    assert resolve_rates(RATE_ROWS, country="US", region="NY")["standard"] == D("0.0500")
    assert resolve_rates(RATE_ROWS, country="US")["standard"] == D("0.0500")


def test_no_rate_is_zero_and_rows_may_be_mappings_in_any_case():
    assert resolve_rates(RATE_ROWS, country="FR", region="") == dict.fromkeys(TAX_CLASSES, D("0"))
    rows = [{"country": "us", "region": " ca ", "tax_class": "standard", "rate": D("0.0725")}]
    assert resolve_rates(rows, country="US", region="ca")["standard"] == D("0.0725")


def test_two_rows_for_one_place_and_class_are_refused():
    rows = [("US", "CA", "standard", D("0.07")), ("us", "ca", "standard", D("0.08"))]
    with pytest.raises(ValueError):
        resolve_rates(rows, country="US", region="CA")


def test_tax_per_line_at_its_class_rate_and_shipping_at_the_standard_rate():
    quote = quote_compute(
        lines=[line("19.99", 2, "standard"), line("10.00", 1, "reduced"), line("7.00", 1, "zero")],
        shipping=ShippingTerms(base_price=D("5.00")),
        rates=resolve_rates(RATE_ROWS, country="US", region="CA"),
    )
    assert [(item.tax_rate, item.tax) for item in quote.lines] == [
        (D("0.0725"), D("2.90")),  # 39.98 × 0.0725 = 2.89855
        (D("0.0200"), D("0.20")),
        (D("0.0000"), D("0.00")),
    ]
    assert (quote.shipping_tax_rate, quote.shipping_tax) == (D("0.0725"), D("0.36"))  # 0.3625
    assert quote.tax == D("3.46")
    assert quote.total == quote.subtotal + quote.shipping + quote.tax == D("65.44")


def test_tax_is_on_the_line_after_its_discount():
    quote = quote_compute(
        lines=[line("10.00", tax_class="standard")],
        coupon=CouponTerms(percent_off=D("50")),
        rates={"standard": D("0.0750")},
    )
    assert quote.lines[0].tax == D("0.38")  # 5.00 × 0.075 = 0.375
    assert quote.total == D("5.38")


def test_zero_class_with_a_zero_rate_row_is_not_taxed():
    rates = resolve_rates(
        [("GB", "", "zero", D("0.0000")), ("GB", "", "standard", D("0.2000"))], country="GB"
    )
    quote = quote_compute(lines=[line("12.99", 3, "zero")], rates=rates)
    assert quote.tax == D("0.00")
    assert quote.total == D("38.97")


# --- prices that include tax ---------------------------------------------------------------------------


def test_inclusive_prices_show_the_contained_tax_and_do_not_add_it():
    quote = quote_compute(
        lines=[line("19.99", 2, "reduced"), line("10.00", 1, "standard")],
        shipping=ShippingTerms(base_price=D("4.90")),
        rates={"standard": D("0.1900"), "reduced": D("0.0700")},
        prices_include_tax=True,
    )
    assert [item.tax for item in quote.lines] == [
        D("2.62"),  # 39.98 × 0.07 / 1.07 = 2.6155…
        D("1.60"),  # 10.00 × 0.19 / 1.19 = 1.5966…
    ]
    assert quote.shipping_tax == D("0.78")  # 4.90 × 0.19 / 1.19 = 0.7823…
    assert quote.tax == D("5.00")
    assert quote.total == quote.subtotal + quote.shipping == D("54.88")
    assert quote.prices_include_tax


def test_inclusive_contained_tax_at_an_exact_half_cent_rounds_up():
    # 0.03 at 20 %: the tax inside is 0.03 × 0.2 / 1.2 = 0.005 exactly.
    quote = quote_compute(
        lines=[line("0.03", tax_class="standard")], rates={"standard": D("0.2000")}, prices_include_tax=True
    )
    assert quote.tax == D("0.01")
    assert quote.total == D("0.03")


def test_inclusive_tax_is_on_the_discounted_gross():
    quote = quote_compute(
        lines=[line("107.00")],
        coupon=CouponTerms(amount_off=D("53.50")),
        rates={"reduced": D("0.0700")},
        prices_include_tax=True,
    )
    assert quote.lines[0].tax == D("3.50")  # 53.50 contains 3.50 of 7 % tax
    assert quote.total == D("53.50")


# --- edges and refusals --------------------------------------------------------------------------------


def test_lines_that_cost_nothing_take_no_discount_and_no_tax():
    for coupon in (CouponTerms(percent_off=D("10")), CouponTerms(amount_off=D("5.00"))):
        quote = quote_compute(
            lines=[line("0.00", 2), line("0.00")], coupon=coupon, rates={"reduced": D("0.2500")}
        )
        assert (quote.subtotal, quote.discount, quote.tax, quote.total) == (D("0.00"),) * 4
        assert [item.discount for item in quote.lines] == [D("0.00"), D("0.00")]


def test_no_lines_and_no_shipping_is_all_zeros():
    quote = quote_compute(lines=[], rates=NO_TAX)
    assert quote.lines == ()
    assert (quote.subtotal, quote.discount, quote.shipping, quote.tax, quote.total) == (D("0.00"),) * 5


@pytest.mark.parametrize(
    "fields",
    [
        {"unit_price": D("1.005"), "quantity": 1},
        {"unit_price": D("-1.00"), "quantity": 1},
        {"unit_price": D("NaN"), "quantity": 1},
        {"unit_price": D("1.00"), "quantity": 0},
        {"unit_price": D("1.00"), "quantity": True},
        {"unit_price": D("1.00"), "quantity": 1, "tax_class": "luxury"},
    ],
)
def test_lines_the_catalog_cannot_hold_are_refused(fields):
    with pytest.raises(ValueError):
        PricedLineInput(key=1, **fields)


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError):
        PricedLineInput(key=1, unit_price=1.5, quantity=1)
    with pytest.raises(TypeError):
        ShippingTerms(base_price=4.99)
    with pytest.raises(TypeError):
        quote_compute(lines=[line("1.00")], rates={"reduced": 0.07})


# --- properties ----------------------------------------------------------------------------------------

prices = st.decimals(min_value=D("0.01"), max_value=D("9999.99"), places=2)
rates_strategy = st.decimals(min_value=D("0"), max_value=D("0.25"), places=4)
lines_strategy = st.lists(
    st.builds(
        PricedLineInput,
        key=st.integers(),
        unit_price=prices,
        quantity=st.integers(min_value=1, max_value=50),
        tax_class=st.sampled_from(TAX_CLASSES),
    ),
    min_size=1,
    max_size=20,
)
coupons = st.one_of(
    st.none(),
    st.builds(CouponTerms, percent_off=st.decimals(min_value=D("0.01"), max_value=D("100"), places=2)),
    st.builds(CouponTerms, amount_off=st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2)),
)
shipping_terms = st.one_of(
    st.none(),
    st.builds(
        ShippingTerms,
        base_price=st.decimals(min_value=D("0"), max_value=D("99.99"), places=2),
        per_item_price=st.decimals(min_value=D("0"), max_value=D("9.99"), places=2),
        free_over=st.one_of(st.none(), st.decimals(min_value=D("0"), max_value=D("100000"), places=2)),
    ),
)
rate_maps = st.dictionaries(st.sampled_from(TAX_CLASSES), rates_strategy)
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)


def assert_cents(*amounts: Decimal) -> None:
    for amount in amounts:
        assert amount.as_tuple().exponent == -2, amount
        assert amount >= 0, amount


def assert_shared_rules(quote, lines, coupon, shipping) -> None:
    assert quote.subtotal == sum(item.unit_price * item.quantity for item in lines)
    assert quote.discount <= quote.subtotal
    if coupon is not None and coupon.percent_off is not None:
        expected = contract_round(quote.subtotal * coupon.percent_off / 100)
    else:
        expected = coupon.amount_off if coupon else D("0")
    assert quote.discount == min(expected, quote.subtotal)
    assert sum(item.discount for item in quote.lines) == quote.discount
    for item in quote.lines:
        assert item.line_total == item.unit_price * item.quantity
        assert item.discount <= item.line_total
        assert_cents(item.line_total, item.discount, item.tax)
    discounted = quote.subtotal - quote.discount
    if shipping is None or (shipping.free_over is not None and discounted >= shipping.free_over):
        assert quote.shipping == 0
    else:
        items = sum(item.quantity for item in lines)
        assert quote.shipping == shipping.base_price + shipping.per_item_price * items
    assert quote.tax == sum(item.tax for item in quote.lines) + quote.shipping_tax
    assert_cents(quote.subtotal, quote.discount, quote.shipping, quote.shipping_tax, quote.tax, quote.total)


@PROPERTY_SETTINGS
@given(lines=lines_strategy, coupon=coupons, shipping=shipping_terms, rates=rate_maps)
def test_net_prices_follow_the_contract(lines, coupon, shipping, rates):
    quote = quote_compute(lines=lines, coupon=coupon, shipping=shipping, rates=rates)

    assert_shared_rules(quote, lines, coupon, shipping)
    assert quote.total == quote.subtotal - quote.discount + quote.shipping + quote.tax
    for item in quote.lines:
        rate = rates.get(item.tax_class, D("0"))
        assert item.tax == contract_round((item.line_total - item.discount) * rate)
    assert quote.shipping_tax == contract_round(quote.shipping * rates.get("standard", D("0")))


@PROPERTY_SETTINGS
@given(lines=lines_strategy, coupon=coupons, shipping=shipping_terms, rates=rate_maps)
def test_inclusive_prices_follow_the_contract(lines, coupon, shipping, rates):
    quote = quote_compute(lines=lines, coupon=coupon, shipping=shipping, rates=rates, prices_include_tax=True)

    assert_shared_rules(quote, lines, coupon, shipping)
    assert quote.total == quote.subtotal - quote.discount + quote.shipping
    assert quote.tax <= quote.total
    with localcontext(prec=60):  # the contained tax, computed the contract's other way round
        for item in quote.lines:
            gross = item.line_total - item.discount
            rate = rates.get(item.tax_class, D("0"))
            assert item.tax == contract_round(gross - gross / (1 + rate))
            assert item.tax <= gross


@PROPERTY_SETTINGS
@given(
    total=st.decimals(min_value=D("0"), max_value=D("100000"), places=2),
    weights=st.lists(st.decimals(min_value=D("0"), max_value=D("500000"), places=2), min_size=1, max_size=20),
)
def test_allocation_adds_up_and_stays_within_a_cent_of_each_share(total, weights):
    weight_sum = sum(weights)
    if weight_sum == 0 and total > 0:
        with pytest.raises(ValueError):
            allocate_proportionally(total, weights)
        return
    parts = allocate_proportionally(total, weights)

    assert sum(parts) == total
    assert len(parts) == len(weights)
    assert_cents(*parts)
    for part, weight in zip(parts, weights, strict=True):
        if weight == 0:
            assert part == 0
            continue
        with localcontext(prec=60):
            assert abs(part - total * weight / weight_sum) < CENT
        if total <= weight_sum:
            assert part <= weight

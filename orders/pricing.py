"""The contract's money rules for a quote and an order, as pure functions on Decimal.

Nothing here touches the database or settings: the caller resolves the coupon, the shipping method, the
destination's tax rates and ``PRICES_INCLUDE_TAX`` into the plain values below, so a quote and the order
placed from the same inputs get the same figures by construction, and every rule can be tested (and
property-tested) without a database.

Rounding: every figure that needs it is rounded once, to cents, half away from zero (``ROUND_HALF_UP``),
from its exact value: the product or quotient is taken as a ``fractions.Fraction`` first, so the result
does not depend on the ambient ``decimal`` context. Sums and cents × quantities are exact Decimals.
No floats anywhere.

Net prices (``prices_include_tax=False``, US style)::

    line_total  = unit_price × quantity
    subtotal    = Σ line_total
    discount    = min(round(subtotal × percent_off / 100) or amount_off, subtotal)
    line.discount = discount spread over the lines by largest remainder (allocate_proportionally)
    shipping    = 0 if subtotal − discount ≥ free_over (free_over not None)
                  else base_price + per_item_price × Σ quantity
    line.tax    = round((line_total − line.discount) × rate[line.tax_class])
    shipping_tax = round(shipping × rate["standard"])
    tax         = Σ line.tax + shipping_tax
    total       = subtotal − discount + shipping + tax

Prices that include tax (``prices_include_tax=True``, EU style): every price already contains its tax, so
nothing is added and the tax shown is the part contained in each gross amount::

    line.tax     = round((line_total − line.discount) × rate / (1 + rate))
    shipping_tax = round(shipping × rate["standard"] / (1 + rate["standard"]))
    tax          = Σ line.tax + shipping_tax        (informational: already inside the prices)
    total        = subtotal − discount + shipping

``gross × rate / (1 + rate)`` is exactly ``gross − gross / (1 + rate)``; it is computed exactly and
rounded once, half up, so the net part ``gross − tax`` and the tax add up to the gross price to the cent.
Discount, its allocation and shipping are the same in both modes.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ZERO_RATE = Decimal("0.0000")

TAX_CLASS_STANDARD = "standard"
TAX_CLASS_REDUCED = "reduced"
TAX_CLASS_ZERO = "zero"
TAX_CLASSES = (TAX_CLASS_STANDARD, TAX_CLASS_REDUCED, TAX_CLASS_ZERO)
DEFAULT_TAX_CLASS = TAX_CLASS_REDUCED
SHIPPING_TAX_CLASS = TAX_CLASS_STANDARD  # "Shipping is taxed at the destination's standard rate."


def round_half_up(value: Decimal | Fraction | int) -> Decimal:
    """``value`` rounded to cents, halves away from zero, as a Decimal with exactly two places.

    Works on the exact value (a Fraction of any Decimal is exact), so a long product is rounded once and
    correctly, whatever ``decimal.getcontext()`` says.
    """
    cents = Fraction(value) * 100
    whole, rest = divmod(abs(cents.numerator), cents.denominator)
    if 2 * rest >= cents.denominator:
        whole += 1
    if cents < 0:
        whole = -whole
    return Decimal(whole).scaleb(-2)


def _decimal_check(value: object, name: str) -> None:
    if not isinstance(value, Decimal):  # a float has already lost the cents it was meant to hold
        raise TypeError(f"{name} must be a Decimal, not {value!r}")
    if not value.is_finite():
        raise ValueError(f"{name} must be finite, not {value}")


def _money(value: Decimal, name: str) -> Decimal:
    """A non-negative amount in whole cents, with exactly two places; anything else is a caller's bug."""
    _decimal_check(value, name)
    if value < 0 or value != value.quantize(CENT):
        raise ValueError(f"{name} must be a non-negative amount in whole cents, not {value}")
    return value.quantize(CENT)


def _rate(value: Decimal, name: str) -> Decimal:
    _decimal_check(value, name)
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {value}")
    return value


@dataclass(frozen=True)
class PricedLineInput:
    """One cart or order line as priced: ``key`` is the caller's handle (a book id), passed through."""

    key: object
    unit_price: Decimal
    quantity: int
    tax_class: str = DEFAULT_TAX_CLASS

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit_price", _money(self.unit_price, "unit_price"))
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValueError(f"quantity must be a positive int, not {self.quantity!r}")
        if self.tax_class not in TAX_CLASSES:
            raise ValueError(f"tax_class must be one of {TAX_CLASSES}, not {self.tax_class!r}")

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class CouponTerms:
    """Exactly one of ``percent_off`` (0 < p ≤ 100) and ``amount_off`` (> 0), as on a coupon."""

    percent_off: Decimal | None = None
    amount_off: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.percent_off is None) == (self.amount_off is None):
            raise ValueError("give exactly one of percent_off and amount_off")
        if self.percent_off is not None:
            percent = _rate(self.percent_off, "percent_off")
            if not 0 < percent <= 100:
                raise ValueError(f"percent_off must be in (0, 100], not {percent}")
        else:
            amount = _money(self.amount_off, "amount_off")
            if amount == 0:
                raise ValueError("amount_off must be positive")
            object.__setattr__(self, "amount_off", amount)


@dataclass(frozen=True)
class ShippingTerms:
    """A shipping method's price rule; ``free_over`` None means shipping is never free."""

    base_price: Decimal
    per_item_price: Decimal = ZERO
    free_over: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_price", _money(self.base_price, "base_price"))
        object.__setattr__(self, "per_item_price", _money(self.per_item_price, "per_item_price"))
        if self.free_over is not None:
            object.__setattr__(self, "free_over", _money(self.free_over, "free_over"))


@dataclass(frozen=True)
class QuoteLine:
    key: object
    unit_price: Decimal
    quantity: int
    tax_class: str
    line_total: Decimal
    discount: Decimal
    tax_rate: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Quote:
    """The figures of a quote or an order. ``tax`` includes ``shipping_tax``.

    With ``prices_include_tax`` the tax is contained in the other amounts and ``total`` does not add it.
    """

    lines: tuple[QuoteLine, ...]
    subtotal: Decimal
    discount: Decimal
    shipping: Decimal
    shipping_tax_rate: Decimal
    shipping_tax: Decimal
    tax: Decimal
    total: Decimal
    prices_include_tax: bool


def allocate_proportionally(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (whole cents) into parts proportional to ``weights`` that add up to it exactly.

    Largest remainder (Hamilton): each part gets the whole cents of its exact share, and the cents left
    over go one each to the parts with the largest fractional remainders. Ties are broken by the larger
    weight, then by the earlier position, so the same inputs always give the same split. A part never
    exceeds its weight when ``total ≤ Σ weights`` (a line's discount never exceeds its total), and a
    zero weight always gets zero.

    Zero total gives all zeros (also for no weights or all-zero weights); a positive total over weights
    that are all zero (or none) has no proportional split and raises ValueError.
    """
    total_cents = int(_money(total, "total") * 100)
    exact_weights = [Fraction(_rate(weight, "weight")) for weight in weights]
    weight_sum = sum(exact_weights, Fraction(0))
    if total_cents == 0:
        return [ZERO for _ in exact_weights]
    if weight_sum == 0:
        raise ValueError(f"cannot split {total} over weights that are all zero")
    shares = [Fraction(total_cents) * weight / weight_sum for weight in exact_weights]
    cents = [share.numerator // share.denominator for share in shares]
    left_over = total_cents - sum(cents)
    by_remainder = sorted(
        range(len(shares)),
        key=lambda index: (-(shares[index] - cents[index]), -exact_weights[index], index),
    )
    for index in by_remainder[:left_over]:
        cents[index] += 1
    return [Decimal(part).scaleb(-2) for part in cents]


def coupon_discount_compute(*, coupon: CouponTerms | None, subtotal: Decimal) -> Decimal:
    """The contract's discount: a rounded percentage, or the amount; never more than the subtotal."""
    subtotal = _money(subtotal, "subtotal")
    if coupon is None:
        return ZERO
    if coupon.percent_off is not None:
        discount = round_half_up(Fraction(subtotal) * Fraction(coupon.percent_off) / 100)
    else:
        discount = coupon.amount_off
    return min(discount, subtotal)


def shipping_compute(*, terms: ShippingTerms | None, discounted_subtotal: Decimal, items: int) -> Decimal:
    """``base + per_item × items``, or nothing once the subtotal after discount reaches ``free_over``.

    No terms (nothing to ship) costs nothing.
    """
    if terms is None:
        return ZERO
    if terms.free_over is not None and discounted_subtotal >= terms.free_over:
        return ZERO
    return terms.base_price + terms.per_item_price * items


def tax_compute(*, amount: Decimal, rate: Decimal, prices_include_tax: bool) -> Decimal:
    """The tax on ``amount``: added on top of a net amount, or the part contained in a gross one."""
    exact_rate = Fraction(rate)
    if prices_include_tax:
        return round_half_up(Fraction(amount) * exact_rate / (1 + exact_rate))
    return round_half_up(Fraction(amount) * exact_rate)


def resolve_rates(
    rows: Iterable[Mapping[str, object] | Sequence[object]], *, country: str, region: str = ""
) -> dict[str, Decimal]:
    """The rate of every tax class at a destination, from tax-rate rows.

    A row is ``(country, region, tax_class, rate)`` or a mapping with those keys (``region`` "" means the
    whole country). For each tax class a row for the destination's region replaces the country's row;
    a class with neither is taxed at 0. Country and region compare without case or surrounding spaces.
    Two rows for the same (country, region, tax_class) are ambiguous and raise ValueError (the table is
    unique on them, so this means the rows were not normalised).
    """
    country_key = country.strip().upper()
    region_key = region.strip().upper()
    country_rates: dict[str, Decimal] = {}
    region_rates: dict[str, Decimal] = {}
    for row in rows:
        if isinstance(row, Mapping):
            row_country, row_region, tax_class, rate = (
                row["country"],
                row["region"],
                row["tax_class"],
                row["rate"],
            )
        else:
            row_country, row_region, tax_class, rate = row
        if str(row_country).strip().upper() != country_key:
            continue
        row_region_key = str(row_region or "").strip().upper()
        if row_region_key == "":
            found = country_rates
        elif region_key and row_region_key == region_key:
            found = region_rates
        else:
            continue
        if tax_class in found:
            raise ValueError(f"two tax rates for {country_key}/{row_region_key or '*'}/{tax_class}")
        found[tax_class] = _rate(rate, "rate")
    return {
        tax_class: region_rates.get(tax_class, country_rates.get(tax_class, ZERO_RATE))
        for tax_class in TAX_CLASSES
    }


def quote_compute(
    *,
    lines: Sequence[PricedLineInput],
    coupon: CouponTerms | None = None,
    shipping: ShippingTerms | None = None,
    rates: Mapping[str, Decimal],
    prices_include_tax: bool = False,
) -> Quote:
    """Every figure of a quote or order from its lines, coupon, shipping method and resolved rates.

    ``rates`` maps a tax class to the destination's rate (see resolve_rates); a missing class is 0.
    The arithmetic of both modes is in the module docstring.
    """
    subtotal = sum((line.line_total for line in lines), ZERO)
    discount = coupon_discount_compute(coupon=coupon, subtotal=subtotal)
    line_discounts = allocate_proportionally(discount, [line.line_total for line in lines])
    shipping_amount = shipping_compute(
        terms=shipping,
        discounted_subtotal=subtotal - discount,
        items=sum(line.quantity for line in lines),
    )

    def rate_of(tax_class: str) -> Decimal:
        return _rate(rates.get(tax_class, ZERO_RATE), f"rate of {tax_class}")

    quote_lines = []
    for line, line_discount in zip(lines, line_discounts, strict=True):
        rate = rate_of(line.tax_class)
        taxable = line.line_total - line_discount
        quote_lines.append(
            QuoteLine(
                key=line.key,
                unit_price=line.unit_price,
                quantity=line.quantity,
                tax_class=line.tax_class,
                line_total=line.line_total,
                discount=line_discount,
                tax_rate=rate,
                tax=tax_compute(amount=taxable, rate=rate, prices_include_tax=prices_include_tax),
            )
        )
    shipping_tax_rate = rate_of(SHIPPING_TAX_CLASS)
    shipping_tax = tax_compute(
        amount=shipping_amount, rate=shipping_tax_rate, prices_include_tax=prices_include_tax
    )
    tax = sum((line.tax for line in quote_lines), ZERO) + shipping_tax
    total = subtotal - discount + shipping_amount
    if not prices_include_tax:
        total += tax
    return Quote(
        lines=tuple(quote_lines),
        subtotal=subtotal,
        discount=discount,
        shipping=shipping_amount,
        shipping_tax_rate=shipping_tax_rate,
        shipping_tax=shipping_tax,
        tax=tax,
        total=total,
        prices_include_tax=prices_include_tax,
    )


def amount_paid(*, amount: Decimal, tax: Decimal, prices_include_tax: bool) -> Decimal:
    """What the customer paid for a line (after its discount) or for the shipping: with net prices its
    tax is added; with prices that include tax it is already inside ``amount``."""
    return _money(amount, "amount") + (ZERO if prices_include_tax else _money(tax, "tax"))


def refund_share(*, paid: Decimal, quantity: int, refunded_before: int, refunding: int) -> Decimal:
    """The part of ``paid`` (a line's amount paid for ``quantity`` copies) that ``refunding`` more copies
    get back when ``refunded_before`` were refunded already.

    ``round(paid × (before + now) / quantity) − round(paid × before / quantity)``: each refund is the
    rounded running share minus what earlier refunds got, so refunding a line in any number of pieces
    pays back exactly ``paid`` in all, never a cent more or less.
    """
    paid = _money(paid, "paid")
    if not (
        quantity >= 1 and refunded_before >= 0 and refunding >= 0 and refunded_before + refunding <= quantity
    ):
        raise ValueError(f"cannot refund {refunding} more of {quantity} after {refunded_before}")
    return round_half_up(Fraction(paid) * (refunded_before + refunding) / quantity) - round_half_up(
        Fraction(paid) * refunded_before / quantity
    )

"""The checkout's figures, computed once: `checkout_quote` prices the user's cart for a destination, a
shipping method and a coupon. The quote endpoint and the checkout page call it to show the figures
before the order is placed, and `checkout.services.order_place` calls it (with `lock=True`, inside its
transaction) and writes exactly what it returns, so the same inputs always give the same figures.

It reads the cart, the catalog's prices and tax classes, the address book, the shipping methods, the
coupon and the tax rates, and hands plain values to `orders.pricing.quote_compute`, which holds the
money rules.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.address_book import address_get_for_user, address_snapshot
from accounts.addresses import address_normalize
from cart.models import Cart, CartItem
from cart.services import cart_for_checkout
from catalog.models import Book
from catalog.services import books_lock
from orders.coupons import coupon_for_checkout, coupon_terms
from orders.exceptions import CartEmpty, OrderTooLarge
from orders.models import Coupon
from orders.pricing import PricedLineInput, Quote, quote_compute
from orders.services import MAX_ORDER_AMOUNT
from orders.shipping import shipping_method_for_destination, shipping_method_snapshot, shipping_terms
from orders.taxes import tax_rates_for_destination

ADDRESS_SHAPE = (
    "Send the address as an object: {full_name, line1, line2, city, region, postal_code, country, phone} "
    '(country as a two-letter code such as "US"), or send address_id, the id of an address in your '
    "address book (/api/addresses/)."
)


@dataclass(frozen=True)
class CartQuote:
    figures: Quote
    cart: Cart | None
    items: list[CartItem]
    books: dict[int, Book]
    coupon: Coupon | None
    shipping_address: dict
    shipping_method: dict
    currency: str

    @property
    def lines(self) -> list[dict]:
        """The quote's lines as the API and the pages show them."""
        return [
            {
                "book_id": line.key,
                "title": self.books[line.key].title,
                "unit_price": line.unit_price,
                "quantity": line.quantity,
                "line_total": line.line_total,
                "tax_class": line.tax_class,
                "discount": line.discount,
                "tax_rate": line.tax_rate,
                "tax": line.tax,
            }
            for line in self.figures.lines
        ]


def shipping_address_resolve(*, user, address_id: int | None = None, shipping_address=None) -> dict:
    """The destination as an order keeps it: a saved address of the user's (copied), or an address
    object checked by `accounts.addresses`."""
    if address_id is not None and shipping_address is not None:
        raise ValidationError({"address_id": ["Give address_id or shipping_address, not both."]})
    if address_id is not None:
        return address_snapshot(address_get_for_user(user=user, address_id=address_id))
    if shipping_address is None:
        raise ValidationError({"shipping_address": [f"Where should we send the books? {ADDRESS_SHAPE}"]})
    if not isinstance(shipping_address, dict):
        raise ValidationError({"shipping_address": [ADDRESS_SHAPE]})
    try:
        return address_snapshot(address_normalize(shipping_address))
    except ValidationError as exc:
        raise ValidationError(
            {
                "shipping_address": [
                    f"{field}: {message}"
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            }
        ) from exc


def checkout_quote(
    *,
    user,
    shipping_method: str,
    address_id: int | None = None,
    shipping_address=None,
    coupon_code: str | None = None,
    lock: bool = False,
) -> CartQuote:
    """Price the user's cart. With `lock` (placing the order, inside the caller's transaction) the
    cart, then its books in id order, then the coupon are row-locked, in that order; a quote locks
    nothing and stores nothing. Refusals: invalid address (400), `shipping_unavailable`, `cart_empty`,
    `invalid_coupon`, `order_too_large`."""
    address = shipping_address_resolve(user=user, address_id=address_id, shipping_address=shipping_address)
    method = shipping_method_for_destination(code=shipping_method, country=address["country"])
    cart, items = cart_for_checkout(user=user, lock=lock)
    if not items:
        raise CartEmpty()
    book_ids = [item.book_id for item in items]
    books = books_lock(book_ids) if lock else Book.objects.in_bulk(book_ids)
    lines = [
        PricedLineInput(
            key=item.book_id,
            unit_price=books[item.book_id].price,
            quantity=item.quantity,
            tax_class=books[item.book_id].tax_class,
        )
        for item in items
    ]
    subtotal = sum(line.line_total for line in lines)
    if subtotal > MAX_ORDER_AMOUNT:
        raise OrderTooLarge()
    coupon = coupon_for_checkout(code=coupon_code, subtotal=subtotal, lock=lock) if coupon_code else None
    figures = quote_compute(
        lines=lines,
        coupon=coupon_terms(coupon) if coupon else None,
        shipping=shipping_terms(method),
        rates=tax_rates_for_destination(country=address["country"], region=address["region"]),
        prices_include_tax=settings.PRICES_INCLUDE_TAX,
    )
    if figures.total > MAX_ORDER_AMOUNT:
        raise OrderTooLarge()
    return CartQuote(
        figures=figures,
        cart=cart,
        items=items,
        books=books,
        coupon=coupon,
        shipping_address=address,
        shipping_method=shipping_method_snapshot(method),
        currency=settings.SHOP_CURRENCY,
    )

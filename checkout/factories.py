"""Orders placed the way a customer places them, for tests: cart, checkout, stock ledger and all."""

from accounts.factories import ADDRESS
from cart.services import cart_add_book
from orders.factories import ShippingMethodFactory
from orders.models import Order

from .services import order_place

# The method tests check out with unless they name one: free, to everywhere, so totals are the books'.
TEST_METHOD_CODE = "test-free"


def checkout_inputs(**checkout) -> dict:
    """`order_place`'s destination and method: the test address and the free method unless given."""
    if "address_id" not in checkout:
        checkout.setdefault("shipping_address", dict(ADDRESS))
    if "shipping_method" not in checkout:
        checkout["shipping_method"] = ShippingMethodFactory(code=TEST_METHOD_CODE).code
    return checkout


def order_checkout(*, user, coupon_code: str | None = None, **checkout) -> Order:
    """Check out the user's cart as it is, through the real service, with the test defaults."""
    return order_place(user=user, coupon_code=coupon_code, **checkout_inputs(**checkout))


def order_placed(*, user, lines: list[tuple], coupon_code: str | None = None, **checkout) -> Order:
    """Fill the user's cart with `(book, quantity)` lines and check it out through the real services."""
    for book, quantity in lines:
        cart_add_book(user=user, book_id=book.pk, quantity=quantity)
    return order_checkout(user=user, coupon_code=coupon_code, **checkout)


def checkout_body(**fields) -> dict:
    """A `POST /api/orders/` (or quote) body: the test address and the free method unless given."""
    return {
        "shipping_address": dict(ADDRESS),
        "shipping_method": checkout_inputs()["shipping_method"],
        **fields,
    }


def checkout_form(**fields) -> dict:
    """The checkout page's POST placing an order to a new (test) address with the free method."""
    return {
        "address": "new",
        **{f"new-{name}": value for name, value in ADDRESS.items()},
        "shipping_method": checkout_inputs()["shipping_method"],
        "coupon_code": "",
        "note": "",
        "action": "place",
        **fields,
    }

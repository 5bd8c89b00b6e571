"""What a shopper does in the shop, one function per step, and the whole journey made of them.

Each step drives the pages as a person would (labels, roles, visible text) and waits, bounded by
Playwright's timeouts, for what the page should show next. Tests combine the steps and then check the
database. `shopper_journey` is the journey up to a paid order; it returns a `Journey` that a later step
(`open_book` then `review_book` for one of the books bought) takes up where it ends: on the paid order's
page.

Cards are typed into the card Element of localstripe's Stripe.js emulation (plain inputs, named by
their placeholders), with localstripe's test numbers: VISA succeeds, DECLINED is refused at charge time
(as Stripe's own test card 4000000000000341 is).
"""

from dataclasses import dataclass

from playwright.sync_api import expect

from accounts.factories import ADDRESS
from accounts.models import User
from catalog.models import Book
from checkout.factories import TEST_METHOD_CODE
from orders.factories import ShippingMethodFactory
from orders.models import Order

VISA = "4242424242424242"
DECLINED = "4000000000000341"
PASSWORD = "a-Long-shelf-of-books-7"


@dataclass(frozen=True)
class Journey:
    user: User
    books: list[Book]
    order: Order


def register(page, *, email: str, username: str, password: str = PASSWORD) -> User:
    """Create an account through the register page; the shopper is then logged in."""
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Register").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".messages")).to_contain_text("Your account has been created")
    return User.objects.get(email=email)


def open_book(page, *, query: str, title: str) -> None:
    """Search the catalog and open the book called `title` from the results."""
    search = page.get_by_role("search")
    search.get_by_label("Search books").fill(query)
    search.get_by_role("button", name="Search").click()
    page.locator(".book-grid").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def search_and_add_to_cart(page, *, query: str, title: str, quantity: int = 1) -> None:
    """Search the catalog, open the book called `title` from the results, put copies in the cart."""
    open_book(page, query=query, title=title)
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".messages")).to_contain_text("to your cart")


def fill_new_address(page, address: dict = ADDRESS) -> None:
    """Type an address into the checkout's "A new address" fields; choosing the country makes the
    page's script load the shipping methods for it and quote the totals."""
    page.get_by_label("A new address").check()
    page.get_by_label("Full name").fill(address["full_name"])
    page.get_by_label("Address", exact=True).fill(address["line1"])
    page.get_by_label("Town or city").fill(address["city"])
    page.get_by_label("State, province or county").fill(address["region"])
    page.get_by_label("Postal code").fill(address["postal_code"])
    page.get_by_label("Country").select_option(address["country"])


def checkout(page, *, user: User, address: dict = ADDRESS) -> Order:
    """From the cart through the checkout page to the new order's page: the totals are shown (and
    quoted live) before the order is placed."""
    ShippingMethodFactory(code=TEST_METHOD_CODE, name="Standard")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cart").click()
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_new_address(page, address)
    expect(page.locator("#quote-status")).to_have_text("Totals updated.")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".messages")).to_contain_text("has been placed")
    order = Order.objects.filter(user=user).latest("created_at")
    expect(page.get_by_role("heading", name=f"Order #{order.pk}", level=1)).to_be_visible()
    return order


def fill_card(page, number: str) -> None:
    """Type a card into the card Element: number, expiry 12/30, CVC, postcode."""
    card = page.locator("#card-element")
    for field, value in (
        ("number", number),
        ("exp_month", "12"),
        ("exp_year", "30"),
        ("cvc", "123"),
        ("postal_code", "12345"),
    ):
        card.locator(f"input[placeholder='{field}']").fill(value)


def click_pay(page) -> None:
    page.get_by_role("button", name="Pay").click()


def pay_by_card(page, number: str = VISA) -> None:
    """Pay the order on the page and wait for the shop to show it Paid (after Stripe's webhook)."""
    fill_card(page, number)
    click_pay(page)
    expect(page.get_by_role("status").filter(has_text="Payment received")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Paid")


def review_book(page, *, rating: int, text: str) -> None:
    """On the page of a book the shopper bought: rate it, write a few words, post the review."""
    form = page.get_by_role("form", name="Write a review")
    form.get_by_label(f"{rating} star").check()
    form.get_by_label("Your review").fill(text)
    form.get_by_role("button", name="Post review").click()
    expect(page.locator(".messages")).to_contain_text("Your review has been published")


def shopper_journey(page, *, books: list[Book], email: str, username: str) -> Journey:
    """Register, find each book by searching for its author and add it, check out, pay: a paid order."""
    user = register(page, email=email, username=username)
    for book in books:
        search_and_add_to_cart(page, query=book.author, title=book.title)
    order = checkout(page, user=user)
    pay_by_card(page, VISA)
    return Journey(user=user, books=books, order=order)

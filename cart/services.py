"""Cart writes. Stock is checked here as a courtesy; the binding check happens at checkout, under lock."""

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.exceptions import InsufficientStock
from catalog.models import Book
from core.db import lock_retrying
from core.errors import NotFound
from insights.services import cart_add_record

from .models import Cart, CartItem

MAX_LINE_QUANTITY = 1000


def _locked_cart(user) -> Cart:
    """The user's cart, created on first use and row-locked so concurrent edits queue up."""
    cart, _ = Cart.objects.get_or_create(user=user)
    return Cart.objects.select_for_update().get(pk=cart.pk)


def cart_book_get(*, book_id: int) -> Book:
    """A book a cart may hold: one in the catalog (a removed or unknown one is not found)."""
    book = Book.objects.filter(pk=book_id, is_active=True).first()
    if book is None:
        raise NotFound("No such book in the catalog.")
    return book


def cart_line_check(*, book: Book, quantity: int, in_cart: int = 0) -> int:
    """The line's quantity once `quantity` more copies of `book` join the `in_cart` it already has.

    The one rule for every cart line, the account cart's and the anonymous session cart's alike: add at
    least one copy, hold at most MAX_LINE_QUANTITY and no more than the shelf has right now.
    """
    if quantity < 1:
        raise ValidationError({"quantity": ["Choose at least one copy."]})
    wanted = in_cart + quantity
    if wanted > MAX_LINE_QUANTITY:
        raise ValidationError({"quantity": [f"At most {MAX_LINE_QUANTITY} copies per line."]})
    if wanted > book.stock:
        held = f" (your cart already holds {in_cart})" if in_cart else ""
        raise InsufficientStock(
            f"Only {book.stock} of “{book.title}” in stock{held}.",
            extra={"books": [InsufficientStock.shortage(book, wanted)]},
        )
    return wanted


@lock_retrying
@transaction.atomic
def cart_add_book(*, user, book_id: int, quantity: int = 1) -> CartItem:
    cart = _locked_cart(user)
    book = cart_book_get(book_id=book_id)
    item = CartItem.objects.filter(cart=cart, book=book).first()
    new_quantity = cart_line_check(book=book, quantity=quantity, in_cart=item.quantity if item else 0)
    cart_add_record(book_id=book.pk)  # counted once the transaction commits
    if item is None:
        return CartItem.objects.create(cart=cart, book=book, quantity=new_quantity)
    item.quantity = new_quantity
    item.save(update_fields=["quantity"])
    return item


@lock_retrying
@transaction.atomic
def cart_update_item(*, user, item_id: int, quantity: int) -> CartItem:
    cart = _locked_cart(user)
    item = CartItem.objects.select_related("book").filter(cart=cart, pk=item_id).first()
    if item is None:
        raise NotFound("No such item in your cart.")
    if not item.book.is_active:
        raise NotFound("This book is no longer in the catalog.")
    item.quantity = cart_line_check(book=item.book, quantity=quantity)
    item.save(update_fields=["quantity"])
    return item


@lock_retrying
@transaction.atomic
def cart_remove_item(*, user, item_id: int) -> None:
    cart = _locked_cart(user)
    deleted, _ = CartItem.objects.filter(cart=cart, pk=item_id).delete()
    if not deleted:
        raise NotFound("No such item in your cart.")


@lock_retrying
def cart_clear(*, user) -> None:
    CartItem.objects.filter(cart__user=user).delete()


def cart_for_checkout(*, user, lock: bool) -> tuple[Cart | None, list[CartItem]]:
    """The user's cart and its lines in book-id order. Placing an order row-locks the cart (`lock`,
    inside the caller's transaction), so a double click on "Place order" queues behind the first
    checkout and then finds the cart empty; a quote only reads it."""
    carts = Cart.objects.select_for_update() if lock else Cart.objects.all()
    cart = carts.filter(user=user).first()
    items = list(CartItem.objects.filter(cart=cart).order_by("book_id")) if cart else []
    return cart, items


def cart_empty_locked(*, cart: Cart) -> None:
    """Empty a cart the caller has locked (its lines became an order)."""
    CartItem.objects.filter(cart=cart).delete()


@lock_retrying
@transaction.atomic
def cart_merge(*, user, lines: dict[int, int]) -> list[str]:
    """Adds an anonymous session cart to the user's cart, capping each line at the stock on hand.

    Returns a notice per line that could not be merged in full, for the shopper to read.
    """
    cart = _locked_cart(user)
    notices = []
    books = Book.objects.filter(pk__in=lines, is_active=True).in_bulk()
    existing = {item.book_id: item for item in CartItem.objects.filter(cart=cart, book_id__in=books)}
    for book_id, quantity in lines.items():
        book = books.get(book_id)
        if book is None:
            notices.append("A book from your basket is no longer available.")
            continue
        item = existing.get(book_id)
        wanted = min(quantity + (item.quantity if item else 0), MAX_LINE_QUANTITY)
        merged = min(wanted, book.stock)
        if merged < wanted:
            notices.append(f"Only {book.stock} of “{book.title}” in stock; your cart holds {merged}.")
        if merged == 0:
            continue
        if item is None:
            CartItem.objects.create(cart=cart, book=book, quantity=merged)
        else:
            item.quantity = merged
            item.save(update_fields=["quantity"])
    return notices

"""The anonymous shopper's cart: book id → quantity in the session, until they log in or register.

Its lines obey the account cart's rule (`services.cart_line_check`); at login the whole of it is merged
into the account's cart by `services.cart_merge` and dropped from the session.
"""

from django.contrib import messages

from catalog.models import Book
from core.db import with_lock_retry
from core.errors import NotFound, ServiceBusy
from insights.services import cart_add_record

from . import services
from .models import CartItem
from .selectors import CartView, cart_view_of

SESSION_KEY = "cart"


def session_cart_lines(*, session) -> dict[int, int]:
    """Book id → quantity, in the order the books were first added (JSON keeps keys as strings)."""
    return {int(book_id): quantity for book_id, quantity in session.get(SESSION_KEY, {}).items()}


def _save(session, lines: dict[int, int]) -> None:
    if lines:
        session[SESSION_KEY] = {str(book_id): quantity for book_id, quantity in lines.items()}
    else:
        session.pop(SESSION_KEY, None)


def session_cart_add(*, session, book_id: int, quantity: int) -> Book:
    book = services.cart_book_get(book_id=book_id)
    lines = session_cart_lines(session=session)
    lines[book.pk] = services.cart_line_check(book=book, quantity=quantity, in_cart=lines.get(book.pk, 0))
    _save(session, lines)
    cart_add_record(book_id=book.pk)
    return book


def session_cart_update(*, session, book_id: int, quantity: int) -> Book:
    lines = session_cart_lines(session=session)
    if book_id not in lines:
        raise NotFound("No such item in your cart.")
    book = services.cart_book_get(book_id=book_id)
    lines[book_id] = services.cart_line_check(book=book, quantity=quantity)
    _save(session, lines)
    return book


def session_cart_remove(*, session, book_id: int) -> None:
    lines = session_cart_lines(session=session)
    if lines.pop(book_id, None) is None:
        raise NotFound("No such item in your cart.")
    _save(session, lines)


def session_cart_view(*, session) -> CartView:
    """The session cart shaped like an account's (unsaved items); lines of deleted books are dropped."""
    lines = session_cart_lines(session=session)
    books = Book.objects.in_bulk(list(lines))
    if len(books) < len(lines):
        lines = {book_id: quantity for book_id, quantity in lines.items() if book_id in books}
        _save(session, lines)
    return cart_view_of(
        CartItem(book=books[book_id], quantity=quantity) for book_id, quantity in lines.items()
    )


def session_cart_item_count(*, session) -> int:
    return sum(session_cart_lines(session=session).values())


def session_cart_merge(request) -> None:
    """Move the anonymous cart into the account that just logged in (or registered).

    Lines the shelf cannot fill in full are capped by `cart_merge`; each cap becomes a warning message.
    """
    lines = session_cart_lines(session=request.session)
    if not lines:
        return
    try:
        notices = with_lock_retry(
            lambda: services.cart_merge(user=request.user, lines=lines),
            label=f"cart merge of user {request.user.pk}",
        )
    except ServiceBusy:
        # Logging in must not fail over the basket: it stays in the session for the next login.
        messages.warning(request, "We could not add your basket to your cart just now; it is kept for later.")
        return
    _save(request.session, {})
    for notice in notices:
        messages.warning(request, notice)

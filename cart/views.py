"""Cart pages: add, show, change and remove lines, for logged-in shoppers and anonymous ones alike.

A logged-in shopper's cart is the account's (`cart.services`, as the API uses); an anonymous one's lives
in the session (`cart.session_cart`) under the same line rules, and joins the account at login. Every
write is a POST with CSRF protection that redirects with a message; a refused change changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from core.errors import BusinessError, NotFound
from core.redirects import safe_next_url

from . import selectors, services, session_cart
from .forms import CartAddForm, CartQuantityForm


def _report_invalid(request, form) -> None:
    problems = " ".join(f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
    messages.error(request, f"Your cart was not changed. {problems}")


def _report_refusal(request, exc: BusinessError | ValidationError) -> None:
    detail = exc.detail if isinstance(exc, BusinessError) else " ".join(exc.messages)
    messages.error(request, f"Your cart was not changed. {detail}")


@require_GET
def cart_detail(request):
    if request.user.is_authenticated:
        cart = selectors.cart_view(user=request.user)
    else:
        cart = session_cart.session_cart_view(session=request.session)
    return render(request, "cart/cart_detail.html", {"cart": cart})


def _book_page_or_catalog(book_id: int | None) -> str:
    return reverse("catalog:book_detail", args=[book_id]) if book_id else reverse("catalog:home")


@require_POST
def cart_add(request):
    """Add copies of a book; back to `next` (when safe) or the book's page, saying what happened."""
    form = CartAddForm(request.POST)
    if not form.is_valid():
        _report_invalid(request, form)
        return redirect(safe_next_url(request) or _book_page_or_catalog(form.cleaned_data.get("book_id")))
    book_id, quantity = form.cleaned_data["book_id"], form.cleaned_data["quantity"]
    try:
        if request.user.is_authenticated:
            book = services.cart_add_book(user=request.user, book_id=book_id, quantity=quantity).book
        else:
            book = session_cart.session_cart_add(session=request.session, book_id=book_id, quantity=quantity)
    except NotFound as exc:
        _report_refusal(request, exc)
        return redirect(safe_next_url(request) or _book_page_or_catalog(None))
    except (BusinessError, ValidationError) as exc:
        _report_refusal(request, exc)
    else:
        copies = f"{quantity} copies of “{book.title}”" if quantity > 1 else f"“{book.title}”"
        messages.success(
            request,
            format_html(
                'Added {} to your cart. <a href="{}">View your cart</a>', copies, reverse("cart:detail")
            ),
        )
    return redirect(safe_next_url(request) or _book_page_or_catalog(book_id))


@require_POST
def cart_update(request, line_id: int):
    """Set a line's quantity. `line_id` is the item's id, or the book's for a session cart."""
    form = CartQuantityForm(request.POST)
    if not form.is_valid():
        _report_invalid(request, form)
        return redirect("cart:detail")
    quantity = form.cleaned_data["quantity"]
    try:
        if request.user.is_authenticated:
            book = services.cart_update_item(user=request.user, item_id=line_id, quantity=quantity).book
        else:
            book = session_cart.session_cart_update(
                session=request.session, book_id=line_id, quantity=quantity
            )
    except (BusinessError, ValidationError) as exc:
        _report_refusal(request, exc)
    else:
        messages.success(request, f"Your cart now holds {quantity} of “{book.title}”.")
    return redirect("cart:detail")


@require_POST
def cart_remove(request, line_id: int):
    try:
        if request.user.is_authenticated:
            services.cart_remove_item(user=request.user, item_id=line_id)
        else:
            session_cart.session_cart_remove(session=request.session, book_id=line_id)
    except BusinessError as exc:
        _report_refusal(request, exc)
    else:
        messages.success(request, "The book was removed from your cart.")
    return redirect("cart:detail")

"""Cart pages: add, show, change and remove lines, for logged-in shoppers and anonymous ones alike.

A logged-in shopper's cart is the account's (`cart.services`, as the API uses); an anonymous one's lives
in the session (`cart.session_cart`) under the same line rules, and joins the account at login. Every
write is a POST with CSRF protection that redirects with a message; a refused change changes nothing.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from catalog.views import book_page_or_catalog
from core.forms import form_cleaned_or_refuse
from core.page_errors import action_back, page_action

from . import selectors, services, session_cart
from .forms import CartAddForm, CartQuantityForm

CART_NOT_CHANGED = "Your cart was not changed."


@require_GET
def cart_detail(request):
    if request.user.is_authenticated:
        cart = selectors.cart_view(user=request.user)
    else:
        cart = session_cart.session_cart_view(session=request.session)
    return render(request, "cart/cart_detail.html", {"cart": cart})


def _book_added_from(request) -> str:
    """Back to the book the form was about (its page), else the catalog."""
    book_id = request.POST.get("book_id", "")
    return book_page_or_catalog(request, int(book_id) if book_id.isdigit() and len(book_id) < 16 else None)


@page_action(back=_book_added_from, failed=CART_NOT_CHANGED)
def cart_add(request):
    """Add copies of a book; back to `next` (when safe) or the book's page, saying what happened."""
    data = form_cleaned_or_refuse(CartAddForm(request.POST))
    book_id, quantity = data["book_id"], data["quantity"]
    if request.user.is_authenticated:
        book = services.cart_add_book(user=request.user, book_id=book_id, quantity=quantity).book
    else:
        book = session_cart.session_cart_add(session=request.session, book_id=book_id, quantity=quantity)
    copies = f"{quantity} copies of “{book.title}”" if quantity > 1 else f"“{book.title}”"
    messages.success(
        request,
        format_html('Added {} to your cart. <a href="{}">View your cart</a>', copies, reverse("cart:detail")),
    )
    return redirect(action_back(request))


@page_action(back="cart:detail", failed=CART_NOT_CHANGED)
def cart_update(request, line_id: int):
    """Set a line's quantity. `line_id` is the item's id, or the book's for a session cart."""
    quantity = form_cleaned_or_refuse(CartQuantityForm(request.POST))["quantity"]
    if request.user.is_authenticated:
        book = services.cart_update_item(user=request.user, item_id=line_id, quantity=quantity).book
    else:
        book = session_cart.session_cart_update(session=request.session, book_id=line_id, quantity=quantity)
    messages.success(request, f"Your cart now holds {quantity} of “{book.title}”.")
    return redirect("cart:detail")


@page_action(back="cart:detail", failed=CART_NOT_CHANGED)
def cart_remove(request, line_id: int):
    if request.user.is_authenticated:
        services.cart_remove_item(user=request.user, item_id=line_id)
    else:
        session_cart.session_cart_remove(session=request.session, book_id=line_id)
    messages.success(request, "The book was removed from your cart.")
    return redirect("cart:detail")

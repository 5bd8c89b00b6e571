"""Shopper order pages: checkout, the order list, an order (with its Pay and Cancel buttons and live
status), and closing one's account (it cancels the pending orders, among the rest).

Checkout and cancelling call `checkout.services`, the same functions as the API. A refused checkout
re-shows the page with the reason beside the input it concerns and has changed nothing (cart, stock);
other refusals are reported by `core.page_errors`.
"""

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from cart.selectors import cart_view
from core.errors import BusinessError
from core.forms import form_add_service_errors
from core.page_errors import json_endpoint, page_action, refusal_status
from orders.models import OrderStatus
from orders.selectors import order_count_for_user, order_last_shipping_address, order_status_for_user
from orders.transitions import can_transition

from . import selectors, services
from .forms import AccountCloseForm, CheckoutForm

ORDERS_PER_PAGE = 10


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    cart = cart_view(user=request.user)
    if not cart.lines:
        messages.info(request, "Your cart is empty: add a book or two before checking out.")
        return redirect("cart:detail")
    form = CheckoutForm(
        request.POST if request.method == "POST" else None,
        initial={"shipping_address": order_last_shipping_address(user=request.user)},
    )
    status, short_books = 200, []
    if form.is_valid():
        try:
            order = services.order_place(
                user=request.user,
                shipping_address=form.cleaned_data["shipping_address"],
                coupon_code=form.cleaned_data["coupon_code"] or None,
            )
        except (BusinessError, ValidationError) as exc:
            status = refusal_status(exc)
            short_books = exc.extra.get("books", []) if isinstance(exc, BusinessError) else []
            if not short_books:  # a stock shortage is shown book by book, above the form
                form_add_service_errors(form, exc)
            cart = cart_view(user=request.user)  # show what the shelf holds now
        else:
            messages.success(request, f"Thank you! Your order #{order.pk} has been placed.")
            return redirect("checkout:detail", order_id=order.pk)
    return render(
        request,
        "orders/checkout.html",
        {"cart": cart, "form": form, "short_books": short_books},
        status=status,
    )


@login_required
@require_GET
def order_list(request):
    page = Paginator(selectors.order_list_for_user(user=request.user), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "orders/order_list.html", {"page_obj": page, "orders": page.object_list})


@login_required
@require_GET
def order_detail(request, order_id: int):
    order = selectors.order_get_for_user(user=request.user, order_id=order_id)
    return render(
        request,
        "orders/order_detail.html",
        {"order": order, "can_cancel": can_transition(order.status, OrderStatus.CANCELLED)},
    )


def _order_page(request, order_id: int) -> str:
    return reverse("checkout:detail", args=[order_id])


@login_required
@require_http_methods(["GET", "POST"])
def order_cancel(request, order_id: int):
    """GET asks for confirmation (what cancelling does: the books go back on the shelf, a payment is
    refunded) on a page of its own, so it works without JavaScript; its form POSTs here to cancel."""
    if request.method == "POST":
        return _order_cancel(request, order_id)
    order = selectors.order_get_for_user(user=request.user, order_id=order_id)
    if not can_transition(order.status, OrderStatus.CANCELLED):
        messages.info(request, f"Order #{order.pk} can no longer be cancelled.")
        return redirect("checkout:detail", order_id=order.pk)
    return render(request, "orders/order_cancel_confirm.html", {"order": order})


@page_action(back=_order_page, failed="Your order was not cancelled.")
def _order_cancel(request, order_id: int):
    order = selectors.order_get_for_user(user=request.user, order_id=order_id)
    services.order_cancel(order_id=order.pk, actor=request.user)
    refund = " Your payment will be refunded." if order.status == OrderStatus.PAID else ""
    messages.success(request, f"Order #{order.pk} has been cancelled.{refund}")
    return redirect("checkout:detail", order_id=order.pk)


@never_cache
@require_GET
@json_endpoint
def order_status(request, order_id: int):
    """`{"status", "label"}` of the shopper's own order, for the order page's live status (session auth)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Please log in.", "code": "not_authenticated"}, status=401)
    status = order_status_for_user(user=request.user, order_id=order_id)
    return JsonResponse({"status": status, "label": OrderStatus(status).label})


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def account_close(request):
    """What closing means, then the password and a tick to confirm; the browser is logged out after."""
    form = AccountCloseForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        try:
            services.account_close(user=request.user, password=form.cleaned_data["password"])
        except (ValidationError, BusinessError) as exc:
            form_add_service_errors(form, exc)
            status = exc.status_code if isinstance(exc, BusinessError) else 200
        else:
            auth_logout(request)
            messages.info(request, "Your account is closed. Thank you for shopping with us.")
            return redirect("catalog:home")
    pending = order_count_for_user(user=request.user, status=OrderStatus.PENDING)
    return render(request, "orders/account_close.html", {"form": form, "pending": pending}, status=status)

"""Shopper order pages: checkout, the order list, an order (with its cancel button and live status).

Checkout and cancelling call `orders.services`, the same functions as the API; a refused checkout
re-shows the page with the reason and the shopper's input, and has changed nothing (cart, stock).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cart.selectors import cart_view
from catalog.exceptions import InsufficientStock
from core.errors import BusinessError, NotFound

from . import selectors, services
from .exceptions import CartEmpty, InvalidCoupon
from .forms import CheckoutForm
from .models import Order, OrderStatus
from .transitions import can_transition

ORDERS_PER_PAGE = 10


def _own_order(request, order_id: int) -> Order:
    try:
        return selectors.order_get_for_user(user=request.user, order_id=order_id)
    except NotFound:
        raise Http404("No such order.") from None


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    cart = cart_view(user=request.user)
    if not cart.lines:
        messages.info(request, "Your cart is empty: add a book or two before checking out.")
        return redirect("cart:detail")
    form = CheckoutForm(
        request.POST if request.method == "POST" else None,
        initial={"shipping_address": selectors.order_last_shipping_address(user=request.user)},
    )
    status, short_books = 200, []
    if form.is_valid():
        try:
            order = services.order_place(
                user=request.user,
                shipping_address=form.cleaned_data["shipping_address"],
                coupon_code=form.cleaned_data["coupon_code"] or None,
            )
        except CartEmpty as exc:
            messages.info(request, exc.detail)
            return redirect("cart:detail")
        except InsufficientStock as exc:
            status, short_books = exc.status_code, exc.extra.get("books", [])
            cart = cart_view(user=request.user)  # show what the shelf holds now
        except InvalidCoupon as exc:
            status = exc.status_code
            form.add_error("coupon_code", exc.detail)
        except BusinessError as exc:
            status = exc.status_code
            form.add_error(None, exc.detail)
        else:
            messages.success(request, f"Thank you! Your order #{order.pk} has been placed.")
            return redirect("orders:detail", order_id=order.pk)
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
    order = _own_order(request, order_id)
    return render(
        request,
        "orders/order_detail.html",
        {"order": order, "can_cancel": can_transition(order.status, OrderStatus.CANCELLED)},
    )


@login_required
@require_POST
def order_cancel(request, order_id: int):
    order = _own_order(request, order_id)
    try:
        services.order_transition(order_id=order.pk, to_status=OrderStatus.CANCELLED, actor=request.user)
    except BusinessError as exc:
        messages.error(request, f"Your order was not cancelled. {exc.detail}")
    else:
        refund = " Your payment will be refunded." if order.status == OrderStatus.PAID else ""
        messages.success(request, f"Order #{order.pk} has been cancelled.{refund}")
    return redirect("orders:detail", order_id=order.pk)


@never_cache
@require_GET
def order_status(request, order_id: int):
    """`{"status", "label"}` of the shopper's own order, for the order page's live status (session auth)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Please log in.", "code": "not_authenticated"}, status=401)
    try:
        status = selectors.order_status_for_user(user=request.user, order_id=order_id)
    except NotFound as exc:
        return JsonResponse({"detail": exc.detail, "code": exc.code}, status=exc.status_code)
    return JsonResponse({"status": status, "label": OrderStatus(status).label})

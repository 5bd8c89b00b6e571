"""Shopper order pages: checkout, the order list, an order (with its Pay and Cancel buttons, live
status, timeline, tracking and return requests), and closing one's account (it cancels the pending
orders, among the rest).

Checkout, cancelling and returns call the services the API calls. The checkout page shows the quote
(`checkout.quotes.checkout_quote`, as `POST /api/cart/quote/`) before the order is placed: its script
asks the quote endpoint again whenever the address, method or coupon change, and without scripts the
"Update totals" button re-renders the page with them. A refused checkout re-shows the page with the
reason beside the input it concerns and has changed nothing (cart, stock); other refusals are reported
by `core.page_errors`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.address_book import ADDRESS_BOOK_LIMIT, address_create, address_list_for_user
from accounts.addresses import address_normalize
from accounts.forms import AddressForm
from cart.selectors import cart_view
from core.errors import BusinessError
from core.forms import form_add_service_errors
from core.page_errors import json_endpoint, page_action, refusal_status
from orders.models import OrderStatus
from orders.returns import return_request_create, return_window_closes_at, returns_for_order
from orders.selectors import order_count_for_user, order_status_for_user
from orders.shipping import shipping_methods_for_country
from orders.transitions import can_transition

from . import selectors, services
from .forms import NEW_ADDRESS, AccountCloseForm, CheckoutForm
from .quotes import checkout_quote

ORDERS_PER_PAGE = 10


def _order_page_of(request, order_id: int) -> str:
    return reverse("checkout:detail", args=[order_id])


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    cart = cart_view(user=request.user)
    if not cart.lines:
        messages.info(request, "Your cart is empty: add a book or two before checking out.")
        return redirect("cart:detail")
    data = request.POST if request.method == "POST" else None
    addresses = list(address_list_for_user(user=request.user))
    address_form = AddressForm(data, prefix=NEW_ADDRESS)
    proposed = str(addresses[0].pk) if addresses else NEW_ADDRESS
    chosen = (data.get("address") if data else None) or proposed
    saved = next((address for address in addresses if str(address.pk) == chosen), None)
    country = saved.country.code if saved else (address_form["country"].value() or "")
    methods = shipping_methods_for_country(country) if country else []
    form = CheckoutForm(
        data,
        addresses=addresses,
        methods=methods,
        initial={"address": proposed, "shipping_method": methods[0].code if methods else None},
    )
    quote, status, short_books = None, 200, []
    inputs = (
        _checkout_inputs(form, address_form, saved) if data is not None else _proposed_inputs(form, saved)
    )
    if inputs is not None:
        try:
            if data is not None and data.get("action") == "place":
                order = _place(request, inputs, addresses, form)
                messages.success(request, f"Thank you! Your order #{order.pk} has been placed.")
                return redirect("checkout:detail", order_id=order.pk)
            quote = checkout_quote(user=request.user, **inputs)
        except (BusinessError, ValidationError) as exc:
            status = refusal_status(exc) if data is not None else 200
            short_books = exc.extra.get("books", []) if isinstance(exc, BusinessError) else []
            if data is not None and not short_books:  # a stock shortage is shown book by book, above the form
                form_add_service_errors(form, exc)
            cart = cart_view(user=request.user)  # show what the shelf holds now
    return render(
        request,
        "orders/checkout.html",
        {
            "cart": cart,
            "form": form,
            "address_form": address_form,
            "addresses": addresses,
            "new_address": NEW_ADDRESS,
            "quote": quote,
            "short_books": short_books,
            "currency": settings.SHOP_CURRENCY,
        },
        status=status,
    )


def _proposed_inputs(form: CheckoutForm, saved) -> dict | None:
    """The first look at the page: a quote for the default address and the first method, if both exist."""
    method = form["shipping_method"].initial
    if saved is None or not method:
        return None
    return {"address_id": saved.pk, "shipping_method": method, "coupon_code": None}


def _checkout_inputs(form: CheckoutForm, address_form: AddressForm, saved) -> dict | None:
    """The quote's inputs from the posted forms, or None when a form is invalid (its errors show)."""
    if not form.is_valid():
        return None
    if form.cleaned_data["address"] == NEW_ADDRESS:
        if not address_form.is_valid():
            return None
        try:
            address = {"shipping_address": address_normalize(address_form.cleaned_data)}
        except ValidationError as exc:
            form_add_service_errors(address_form, exc)
            return None
    else:
        address = {"address_id": saved.pk}
    return {
        **address,
        "shipping_method": form.cleaned_data["shipping_method"],
        "coupon_code": form.cleaned_data["coupon_code"] or None,
    }


def _place(request, inputs: dict, addresses: list, form: CheckoutForm):
    """Place the order; a new address then joins the address book (when it has room), so the next
    checkout offers it. A refused order saves nothing."""
    order = services.order_place(user=request.user, note=form.cleaned_data["note"], **inputs)
    if "shipping_address" in inputs and len(addresses) < ADDRESS_BOOK_LIMIT:
        address_create(user=request.user, **inputs["shipping_address"])
    return order


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
    closes_at = return_window_closes_at(order)
    can_return = (
        order.status == OrderStatus.DELIVERED and closes_at is not None and timezone.now() <= closes_at
    )
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "can_cancel": can_transition(order.status, OrderStatus.CANCELLED),
            "can_return": can_return,
            "return_window_closes_at": closes_at,
            "returns": returns_for_order(order_id=order.pk),
        },
    )


@login_required
@page_action(back=_order_page_of, failed="Your return request was not sent.")
def order_return(request, order_id: int):
    """The order page's return form: a quantity per line (0 leaves it out) and a reason."""
    order = selectors.order_get_for_user(user=request.user, order_id=order_id)
    lines = []
    for item in order.items.all():
        quantity = request.POST.get(f"quantity-{item.book_id}", "0").strip() or "0"
        if not quantity.isdigit():
            raise ValidationError(f"“{item.title}”: enter a whole number of copies.")
        if int(quantity):
            lines.append({"book_id": item.book_id, "quantity": int(quantity)})
    if not lines:
        raise ValidationError("Choose at least one copy to return.")
    return_request_create(order_id=order.pk, lines=lines, reason=request.POST.get("reason", ""))
    messages.success(request, "Your return request has been sent; we will answer it by email.")
    return redirect("checkout:detail", order_id=order.pk)


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


@page_action(back=_order_page_of, failed="Your order was not cancelled.")
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

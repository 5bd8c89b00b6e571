"""The order page's buttons in the back office: ship, deliver, cancel and refund. Each is a form page
saying what will happen, then a POST (with its CSRF token) calling the same service as
`/api/admin/orders/{id}/ship/`, `deliver/`, `cancel/` and `refunds/`. A refund has one more step: the
form, then the amounts it pays back (`order_refund_preview`), then the refund.

A business refusal (the order moved on meanwhile, more than was paid...) goes back to the order page as
an error message in the service's own words, and nothing changed; bad input stays on the form beside its
field. Only staff who may change orders see the buttons or reach the pages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.errors import BusinessError
from core.forms import form_add_service_errors
from core.limits import MAX_ID
from core.page_errors import refusal_detail
from core.templatetags.shop import money
from orders.models import REFUNDABLE_STATUSES, Order, OrderStatus, ReturnStatus
from orders.returns import REASON_MAX_LENGTH
from orders.services import order_deliver, order_ship
from orders.shipments import CARRIER_MAX_LENGTH, TRACKING_NUMBER_MAX_LENGTH, TRACKING_URLS
from orders.transitions import STOCK_HOLDING, can_transition
from payments.services import payment_for_order

from . import services

# Far above any order's copies (the service says how many remain), far below a database integer's end.
MAX_QUANTITY = 1_000_000

# --- The forms -----------------------------------------------------------------------------------------


class ShipForm(forms.Form):
    carriers = list(TRACKING_URLS)  # suggested in the carrier input (a datalist); any other is accepted
    carrier = forms.CharField(
        max_length=CARRIER_MAX_LENGTH,
        help_text=f"{', '.join(TRACKING_URLS)} get a tracking link; any other carrier none.",
        widget=forms.TextInput(attrs={"list": "bo-carriers", "autocomplete": "off"}),
    )
    tracking_number = forms.CharField(max_length=TRACKING_NUMBER_MAX_LENGTH)


class DeliverForm(forms.Form):
    note = forms.CharField(
        max_length=255, required=False, help_text="Optional; shown in the order's history."
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=services.CANCEL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The customer reads it, in their email and in the order's history.",
    )


class RefundForm(forms.Form):
    """A quantity per line of the order (copies to refund, 0 for none), the shipping, restock, the
    reason, and the return request it answers, if any. How many may be refunded is the service's rule
    (said beside each line here), so asking for too many is its refusal, not the form's."""

    restock = forms.BooleanField(required=False, label="Restock: put the refunded copies back in stock")
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The customer reads it in their email.",
    )
    return_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(order.items.order_by("id"))
        for item in self.items:
            self.fields[f"quantity_{item.book_id}"] = forms.IntegerField(
                min_value=0,
                max_value=MAX_QUANTITY,
                required=False,
                initial=0,
                label=f"“{item.title}”: quantity to refund",
                help_text=f"{item.quantity - item.refunded_quantity} of {item.quantity} not refunded yet.",
            )
        if order.shipping and not order.shipping_refunded:
            self.fields["shipping"] = forms.BooleanField(
                required=False, label=f"Refund the shipping ({money(order.shipping)} and its tax)"
            )
        self.order_fields(
            [*(f"quantity_{item.book_id}" for item in self.items), "shipping", "restock", "reason"]
        )

    def quantity_fields(self):
        return [self[f"quantity_{item.book_id}"] for item in self.items]

    def refund_inputs(self) -> dict:
        """The cleaned form as `order_refund`'s arguments (as the API's refund body)."""
        data = self.cleaned_data
        return {
            "lines": [
                {"book_id": item.book_id, "quantity": data[f"quantity_{item.book_id}"]}
                for item in self.items
                if data.get(f"quantity_{item.book_id}")
            ],
            "shipping": bool(data.get("shipping")),
            "restock": data["restock"],
            "reason": data["reason"],
            "return_id": data.get("return_id"),
        }


# --- The actions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderAction:
    """A button on the order page: when it shows, its form page and what it does."""

    slug: str  # the URL's last part, and the URL name `admin:orders_order_<slug>`
    label: str
    allowed: Callable[[Order], bool]
    form: type[forms.Form]
    # The refund has its own view (two steps) and neither of these:
    run: Callable[..., str] | None = None  # (order, actor, cleaned data) → the success message
    consequences: Callable[[Order], list[str]] | None = None  # what will happen, for the confirm page


def _ship(order, actor, data) -> str:
    order_ship(order_id=order.pk, actor=actor, **data)
    return f"Order {order.pk} shipped; the customer was emailed the tracking details."


def _deliver(order, actor, data) -> str:
    order_deliver(order_id=order.pk, actor=actor, note=data["note"])
    return f"Order {order.pk} delivered; the customer was invited to review the books."


def _cancel(order, actor, data) -> str:
    services.order_cancel(order_id=order.pk, actor=actor, by_staff=True, reason=data["reason"])
    return f"Order {order.pk} cancelled; the customer was emailed the reason."


def _moves_to(status: str) -> Callable[[Order], bool]:
    return lambda order: can_transition(order.status, status, by_staff=True)


def cancel_consequences(order: Order) -> list[str]:
    """What cancelling the order does, as `order_cancel` does it, for the confirm page."""
    consequences = ["The order becomes cancelled; the customer is emailed the reason."]
    if order.status in STOCK_HOLDING:
        consequences += [
            f"{item.quantity - item.restocked_quantity} × “{item.title}” go back to stock."
            for item in order.items.order_by("id")
            if item.quantity - item.restocked_quantity
        ]
        if order.coupon_id:
            consequences.append(f"The use of coupon {order.coupon.code} is given back.")
    owed = order.total - order.refunded_total
    if order.status == OrderStatus.PAID and owed > 0 and payment_for_order(order=order) is not None:
        consequences.append(f"{money(owed)} is refunded to the customer's card.")
    return consequences


def ship_consequences(order: Order) -> list[str]:
    return [
        "The order becomes shipped, with this carrier and tracking number.",
        "The customer is emailed the tracking details (a tracking link for the carriers listed).",
    ]


def deliver_consequences(order: Order) -> list[str]:
    return [
        "The order becomes delivered.",
        "The customer is invited to review the books, and may ask to return them from now on.",
    ]


ACTIONS = [
    OrderAction("ship", "Ship…", _moves_to(OrderStatus.SHIPPED), ShipForm, _ship, ship_consequences),
    OrderAction(
        "deliver",
        "Mark delivered…",
        _moves_to(OrderStatus.DELIVERED),
        DeliverForm,
        _deliver,
        deliver_consequences,
    ),
    OrderAction(
        "cancel", "Cancel order…", _moves_to(OrderStatus.CANCELLED), CancelForm, _cancel, cancel_consequences
    ),
]
REFUND = OrderAction("refund", "Refund…", lambda order: order.status in REFUNDABLE_STATUSES, RefundForm)


class OrderActionsMixin:
    """OrderAdmin's part: the URLs, the views and the buttons of the order page."""

    change_form_template = "admin/orders/order/change_form.html"

    def get_urls(self):
        views = [
            path(
                f"<int:order_id>/{action.slug}/",
                self.admin_site.admin_view(self._action_view(action)),
                name=f"orders_order_{action.slug}",
            )
            for action in ACTIONS
        ]
        refund = path(
            "<int:order_id>/refund/",
            self.admin_site.admin_view(self.refund_view),
            name="orders_order_refund",
        )
        return [*views, refund, *super().get_urls()]

    def order_actions(self, request, order: Order) -> list[dict]:
        """The buttons for what may be done to the order in its status, for staff who may change it."""
        if not self.has_change_permission(request, order):
            return []
        return [
            {"label": action.label, "url": reverse(f"admin:orders_order_{action.slug}", args=[order.pk])}
            for action in [*ACTIONS, REFUND]
            if action.allowed(order)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = Order.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        context = {
            "order_actions": self.order_actions(request, order) if order else [],
            # Every field is read-only: the buttons above are the ways to change an order, not "Save".
            "show_save": False,
            "show_save_and_continue": False,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    # --- the views

    def _order_for(self, request, order_id: int, action: OrderAction) -> Order | HttpResponseRedirect:
        order = get_object_or_404(Order.objects.select_related("user", "coupon"), pk=order_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        if request.method == "GET" and not action.allowed(order):
            # A stale page or a typed URL: the button would not be there. A POST goes to the service,
            # which refuses in its own words.
            messages.error(
                request, f"Order {order.pk} is {order.status}: “{action.label[:-1]}” does not apply."
            )
            return self._back(order)
        return order

    @staticmethod
    def _back(order: Order) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))

    def _refused(self, request, order: Order, exc: BusinessError) -> HttpResponseRedirect:
        messages.error(request, f"Nothing was changed. {refusal_detail(exc)}")
        return self._back(order)

    def _page(self, request, order: Order, template: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": order,
                "order": order,
                "back_url": reverse("admin:orders_order_change", args=[order.pk]),
                **context,
            },
        )

    def _action_view(self, action: OrderAction):
        def view(request, order_id: int):
            order = self._order_for(request, order_id, action)
            if isinstance(order, HttpResponseRedirect):
                return order
            form = action.form(request.POST if request.method == "POST" else None)
            if form.is_valid():
                try:
                    done = action.run(order, request.user, form.cleaned_data)
                except BusinessError as exc:
                    return self._refused(request, order, exc)
                except ValidationError as exc:
                    form_add_service_errors(form, exc)
                else:
                    messages.success(request, done)
                    return self._back(order)
            return self._page(
                request,
                order,
                "admin/orders/order/action.html",
                title=f"{action.label[:-1]}: order {order.pk}",
                action=action,
                form=form,
                consequences=action.consequences(order),
            )

        view.__name__ = f"order_{action.slug}_view"
        return view

    def refund_view(self, request, order_id: int):
        """The form, then (POST) the amounts it pays back, then (POST with `confirm`) the refund."""
        order = self._order_for(request, order_id, REFUND)
        if isinstance(order, HttpResponseRedirect):
            return order
        if request.method != "POST":
            form = RefundForm(order=order, initial=self._refund_initial(request, order))
            return self._refund_form_page(request, order, form)
        form = RefundForm(request.POST, order=order)
        if not form.is_valid():
            return self._refund_form_page(request, order, form)
        inputs = form.refund_inputs()
        try:
            if request.POST.get("confirm") != "yes":
                quote = services.order_refund_preview(
                    order_id=order.pk, lines=inputs["lines"], shipping=inputs["shipping"]
                )
                return self._page(
                    request,
                    order,
                    "admin/orders/order/refund_confirm.html",
                    title=f"Confirm the refund: order {order.pk}",
                    form=form,
                    quote=quote,
                    inputs=inputs,
                )
            refund = services.order_refund(order_id=order.pk, actor=request.user, **inputs)
        except BusinessError as exc:
            return self._refused(request, order, exc)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self._refund_form_page(request, order, form)
        messages.success(
            request,
            f"Refunded {money(refund.amount)} of order {order.pk}; the customer was emailed.",
        )
        return self._back(order)

    @staticmethod
    def _refund_initial(request, order: Order) -> dict:
        """Prefilled from a return request (`?return=<id>`): its copies, back in stock."""
        return_id = request.GET.get("return", "")
        asked = (
            order.returns.filter(pk=return_id, status=ReturnStatus.REQUESTED).first()
            if return_id.isdigit() and int(return_id) <= MAX_ID
            else None
        )
        if asked is None:
            return {}
        return {
            "return_id": asked.pk,
            "restock": True,
            "reason": f"Refund for your return request {asked.pk}.",
            **{f"quantity_{line.order_item.book_id}": line.quantity for line in asked.lines.all()},
        }

    def _refund_form_page(self, request, order: Order, form: RefundForm) -> TemplateResponse:
        return self._page(
            request,
            order,
            "admin/orders/order/refund.html",
            title=f"Refund: order {order.pk}",
            form=form,
        )

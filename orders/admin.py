"""Coupons, shipping methods and tax rates for staff, written by their services (`orders.coupons`,
`orders.shipping`, `orders.taxes`) as from the staff API; customers' return requests, rejected with a
reason through `orders.returns`, or approved: answered by a refund on the order's refund page
(`admin:orders_order_refund`, the checkout layer's), prefilled with the request's copies."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin_tools import ReadOnlyInline
from core.errors import BusinessError
from core.forms import ServiceRulesModelForm, form_add_service_errors
from core.page_errors import refusal_detail

from . import coupons, returns, shipping, taxes
from .models import Coupon, ReturnLine, ReturnRequest, ReturnStatus, ShippingMethod, TaxRate


class CouponAdminForm(ServiceRulesModelForm):
    """The coupon's terms as `coupon_clean` judges them for every door, shown beside their fields."""

    class Meta:
        model = Coupon
        fields = list(coupons.TERMS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "percent_off", "amount_off", "min_subtotal", "max_uses"):
            field = self.fields[name]
            field.required, field.validators = False, []
            for attribute in ("max_length", "max_digits", "decimal_places", "min_value", "max_value"):
                if hasattr(field, attribute):
                    setattr(field, attribute, None)
        # The admin's split date/time inputs share one <label>, which names only the date input: each
        # gets its own accessible name.
        for name in ("valid_from", "valid_until"):
            field = self.fields[name]
            for widget, part in zip(getattr(field.widget, "widgets", ()), ("date", "time"), strict=False):
                widget.attrs["aria-label"] = f"{field.label}: {part}"

    def clean(self):
        cleaned = super().clean()
        terms = {name: cleaned.get(name) for name in coupons.TERMS if name not in self.errors}
        if terms.get("min_subtotal") is None:
            terms["min_subtotal"] = 0
        try:
            cleaned.update(coupons.coupon_clean(terms, coupon=self.instance if self.instance.pk else None))
        except ValidationError as exc:
            self.add_service_errors(exc)
        return cleaned


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    form = CouponAdminForm
    list_display = [
        "code",
        "percent_off",
        "amount_off",
        "valid_from",
        "valid_until",
        "used_count",
        "max_uses",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code"]
    readonly_fields = ["used_count", "created_at"]

    def save_model(self, request, obj, form, change):
        terms = {name: form.cleaned_data[name] for name in coupons.TERMS}
        coupon = coupons.coupon_update(coupon=obj, **terms) if change else coupons.coupon_create(**terms)
        obj.pk = coupon.pk

    def delete_model(self, request, obj):
        coupons.coupon_delete(coupon=obj)


class ShippingMethodAdminForm(ServiceRulesModelForm):
    """A method's terms as `shipping_method_clean` judges them for every door."""

    class Meta:
        model = ShippingMethod
        fields = list(shipping.TERMS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "code",
            "name",
            "base_price",
            "per_item_price",
            "estimated_days_min",
            "estimated_days_max",
        ):
            field = self.fields[name]
            field.required, field.validators = False, []
            for attribute in ("max_length", "max_digits", "decimal_places", "min_value", "max_value"):
                if hasattr(field, attribute):
                    setattr(field, attribute, None)

    def clean(self):
        cleaned = super().clean()
        terms = {name: cleaned.get(name) for name in shipping.TERMS if name not in self.errors}
        terms["countries"] = list(terms.get("countries") or [])
        if terms.get("per_item_price") is None:
            terms["per_item_price"] = 0
        try:
            cleaned.update(
                shipping.shipping_method_clean(terms, method=self.instance if self.instance.pk else None)
            )
        except ValidationError as exc:
            self.add_service_errors(exc)
        return cleaned


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    form = ShippingMethodAdminForm
    list_display = [
        "code",
        "name",
        "base_price",
        "per_item_price",
        "free_over",
        "estimated_days_min",
        "estimated_days_max",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        terms = {name: form.cleaned_data[name] for name in shipping.TERMS}
        method = (
            shipping.shipping_method_update(method=ShippingMethod.objects.get(pk=obj.pk), **terms)
            if change
            else shipping.shipping_method_create(**terms)
        )
        obj.pk = method.pk

    def delete_model(self, request, obj):
        shipping.shipping_method_delete(method=obj)


class TaxRateAdminForm(ServiceRulesModelForm):
    class Meta:
        model = TaxRate
        fields = list(taxes.TERMS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rate = self.fields["rate"]
        rate.validators = []
        for attribute in ("max_digits", "decimal_places", "min_value", "max_value"):
            setattr(rate, attribute, None)

    def clean(self):
        cleaned = super().clean()
        terms = {name: cleaned.get(name) for name in taxes.TERMS if name not in self.errors}
        try:
            cleaned.update(taxes.tax_rate_clean(terms, tax_rate=self.instance if self.instance.pk else None))
        except ValidationError as exc:
            self.add_service_errors(exc)
        return cleaned

    def validate_unique(self):
        """`tax_rate_clean` says it, in the API's words."""


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    form = TaxRateAdminForm
    list_display = ["country", "region", "tax_class", "rate"]
    list_filter = ["tax_class", "country"]
    search_fields = ["country", "region"]

    def save_model(self, request, obj, form, change):
        terms = {name: form.cleaned_data[name] for name in taxes.TERMS}
        tax_rate = (
            taxes.tax_rate_update(tax_rate=TaxRate.objects.get(pk=obj.pk), **terms)
            if change
            else taxes.tax_rate_create(**terms)
        )
        obj.pk = tax_rate.pk

    def delete_model(self, request, obj):
        taxes.tax_rate_delete(tax_rate=obj)


class ReturnLineInline(ReadOnlyInline):
    model = ReturnLine
    fields = readonly_fields = ["order_item", "quantity"]


class RejectReturnForm(forms.Form):
    reason = forms.CharField(
        max_length=returns.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The customer reads it.",
    )


def return_refund_url(return_request: ReturnRequest) -> str:
    """The order's refund page, prefilled with the request's copies (approving a return is refunding it)."""
    return (
        reverse("admin:orders_order_refund", args=[return_request.order_id]) + f"?return={return_request.pk}"
    )


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    """Return requests, read-only, filtered by status and date: approve one with a refund from its
    order's refund page (prefilled), or reject it with a reason, from its page or the list."""

    list_display = ["id", "order", "customer", "copies", "status", "created_at", "answered_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["order__user"]
    search_fields = ["=order__id", "order__user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["order", "status", "reason", "answer", "answered_by", "answered_at", "created_at"]
    inlines = [ReturnLineInline]
    actions = ["refund_return", "reject_returns"]
    change_form_template = "admin/orders/returnrequest/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(copy_count=Sum("lines__quantity"))

    @admin.display(description="customer", ordering="order__user__email")
    def customer(self, return_request):
        return return_request.order.user.email

    @admin.display(description="copies", ordering="copy_count")
    def copies(self, return_request):
        return return_request.copy_count

    def get_urls(self):
        return [
            path(
                "<int:return_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="orders_returnrequest_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return_request = (
            ReturnRequest.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        )
        answerable = (
            return_request is not None
            and return_request.status == ReturnStatus.REQUESTED
            and self.has_change_permission(request, return_request)
        )
        buttons = (
            [
                {
                    "label": "Approve: refund the return…",
                    "url": reverse("admin:orders_order_refund", args=[return_request.order_id]),
                    "query": [("return", return_request.pk)],
                },
                {"label": "Reject…", "url": reverse("admin:orders_returnrequest_reject", args=[object_id])},
            ]
            if answerable
            else []
        )
        context = {"answer_buttons": buttons, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def _reject_page(self, request, form, requests, action=""):
        return TemplateResponse(
            request,
            "admin/orders/returnrequest/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject return requests" if action else f"Reject return request {requests[0].pk}",
                "form": form,
                "requests": requests,
                "action": action,
                "opts": self.model._meta,
            },
        )

    def reject_view(self, request, return_id: int):
        """The request page's Reject button: the reason, then `return_request_reject`."""
        return_request = get_object_or_404(ReturnRequest, pk=return_id)
        if not self.has_change_permission(request, return_request):
            raise PermissionDenied
        back = HttpResponseRedirect(reverse("admin:orders_returnrequest_change", args=[return_id]))
        form = RejectReturnForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                returns.return_request_reject(
                    return_id=return_id, reason=form.cleaned_data["reason"], actor=request.user
                )
            except BusinessError as exc:
                self.message_user(request, f"Nothing was changed. {refusal_detail(exc)}", messages.ERROR)
                return back
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                self.message_user(
                    request,
                    f"Return request {return_id} rejected; the customer was emailed.",
                    messages.SUCCESS,
                )
                return back
        return self._reject_page(request, form, [return_request])

    @admin.action(description="Approve the selected return request: refund it (one at a time)")
    def refund_return(self, request, queryset):
        open_requests = list(queryset.filter(status=ReturnStatus.REQUESTED)[:2])
        if len(open_requests) != 1 or queryset.count() != 1:
            self.message_user(
                request, "Select one open return request to refund: each is its own refund.", messages.ERROR
            )
            return None
        return HttpResponseRedirect(return_refund_url(open_requests[0]))

    @admin.action(description="Reject selected return requests (with a reason the customer reads)")
    def reject_returns(self, request, queryset):
        form = RejectReturnForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return self._reject_page(request, form, queryset, action="reject_returns")
        rejected = 0
        for return_request in queryset.filter(status=ReturnStatus.REQUESTED):
            try:
                returns.return_request_reject(
                    return_id=return_request.pk, reason=form.cleaned_data["reason"], actor=request.user
                )
                rejected += 1
            except (BusinessError, ValidationError) as exc:
                self.message_user(
                    request, f"Return {return_request.pk}: {refusal_detail(exc)}", messages.ERROR
                )
        self.message_user(request, f"{rejected} return request(s) rejected.", messages.SUCCESS)
        return None

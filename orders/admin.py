"""Coupons for staff, written by the coupon services (`orders.coupons`), as from the staff API."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from core.forms import ServiceRulesModelForm

from . import coupons
from .models import Coupon


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

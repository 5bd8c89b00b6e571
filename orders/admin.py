from django import forms
from django.contrib import admin

from .coupons import coupon_code_validate, coupon_terms_validate
from .models import Coupon


class CouponAdminForm(forms.ModelForm):
    """Applies the same coupon rules as the staff API (orders.coupons)."""

    class Meta:
        model = Coupon
        fields = [
            "code",
            "percent_off",
            "amount_off",
            "valid_from",
            "valid_until",
            "max_uses",
            "min_subtotal",
            "is_active",
        ]

    def clean_code(self):
        return coupon_code_validate(code=self.cleaned_data["code"], coupon_id=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        terms = ["percent_off", "amount_off", "valid_from", "valid_until", "max_uses"]
        if not any(name in self.errors for name in terms):
            coupon_terms_validate(
                **{name: cleaned.get(name) for name in terms}, used_count=self.instance.used_count
            )
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

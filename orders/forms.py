"""The staff report pages' filter forms (input shape only; the reports are orders.reports')."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from catalog.models import Genre

from .reports import DEFAULT_COVER_DAYS, MAX_COVER_DAYS

MAX_REPORT_DAYS = 366
DEFAULT_REPORT_DAYS = 30


class DateInput(forms.DateInput):
    input_type = "date"


class ReportPeriodForm(forms.Form):
    """From and to (inclusive); the last 30 days unless given. At most a year, so a chart stays legible."""

    date_from = forms.DateField(label="From", required=False, widget=DateInput)
    date_to = forms.DateField(label="To", required=False, widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        date_to = cleaned.get("date_to") or timezone.localdate()
        date_from = cleaned.get("date_from") or date_to - timedelta(days=DEFAULT_REPORT_DAYS - 1)
        if date_from > date_to:
            self.add_error("date_from", "The first day must not be after the last.")
        elif (date_to - date_from).days >= MAX_REPORT_DAYS:
            self.add_error("date_from", f"Choose at most {MAX_REPORT_DAYS} days.")
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        return cleaned

    @classmethod
    def for_request(cls, request) -> "ReportPeriodForm":
        """Bound to the page's query string when it names a day; else showing the default period."""
        if request.GET.get("date_from") or request.GET.get("date_to"):
            return cls(request.GET)
        return cls(initial=default_period())

    def period(self) -> dict:
        """`{date_from, date_to}` as asked for, or the last 30 days when none was (or it had errors)."""
        if self.is_bound and self.is_valid():
            return {"date_from": self.cleaned_data["date_from"], "date_to": self.cleaned_data["date_to"]}
        return default_period()


def default_period() -> dict:
    date_to = timezone.localdate()
    return {"date_from": date_to - timedelta(days=DEFAULT_REPORT_DAYS - 1), "date_to": date_to}


class InventoryForm(forms.Form):
    cover_days = forms.IntegerField(
        label="Days of stock to reorder for",
        min_value=1,
        max_value=MAX_COVER_DAYS,
        initial=DEFAULT_COVER_DAYS,
        required=False,
    )
    genre = forms.ModelChoiceField(
        queryset=Genre.objects.order_by("name"),
        required=False,
        empty_label="All genres",
        to_field_name="slug",
    )
    needs_reorder = forms.BooleanField(label="Only books to reorder", required=False)

    def clean_cover_days(self):
        return self.cleaned_data.get("cover_days") or DEFAULT_COVER_DAYS

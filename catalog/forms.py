"""Shapes of the catalog pages' input that are more than a button: the preferences form."""

from django import forms

from core.forms import ShopForm

from .models import Genre


class PreferencesForm(ShopForm):
    restock_alerts = forms.BooleanField(
        required=False,
        label="Back in stock",
        help_text="Email me when a title I asked to be notified about is back.",
    )
    review_invites = forms.BooleanField(
        required=False,
        label="Review invitations",
        help_text="After a delivery, invite me to review the books.",
    )
    marketing_emails = forms.BooleanField(
        required=False, label="News and offers", help_text="Occasional news about books and offers."
    )
    favourite_genres = forms.ModelMultipleChoiceField(
        queryset=Genre.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Orders, payments and password emails are always sent.",
    )

    def clean_favourite_genres(self):
        return [genre.slug for genre in self.cleaned_data["favourite_genres"]]

"""Shape of the book page's review form; who may review, and when, is `reviews.services`' business."""

from django import forms

from core.forms import ShopForm

from .models import REVIEW_TEXT_MAX_LENGTH

RATING_CHOICES = [
    (1, "1 star: poor"),
    (2, "2 stars: fair"),
    (3, "3 stars: good"),
    (4, "4 stars: very good"),
    (5, "5 stars: excellent"),
]


class ReviewForm(ShopForm):
    rating = forms.TypedChoiceField(
        label="Your rating",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a rating from 1 to 5 stars."},
    )
    text = forms.CharField(
        label="Your review (optional)",
        required=False,
        max_length=REVIEW_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

"""Shapes of the cart pages' input; the rules (stock, removed books) are `cart.services`'."""

from django import forms

from core.forms import ShopForm
from core.limits import MAX_ID

from .services import MAX_LINE_QUANTITY


class CartQuantityForm(ShopForm):
    quantity = forms.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)


class CartAddForm(CartQuantityForm):
    book_id = forms.IntegerField(min_value=1, max_value=MAX_ID)

"""core.filters.FilterSet: one form class per filter set, a fresh form (and verdict) per request."""

from django.http import QueryDict

from catalog.filters import BookFilter
from catalog.models import Book


def test_the_form_class_is_built_once_and_each_request_is_judged_on_its_own():
    bad = BookFilter(QueryDict("min_price=cheap&in_stock=maybe"), queryset=Book.objects.none())
    good = BookFilter(QueryDict("min_price=5&in_stock=true"), queryset=Book.objects.none())

    assert type(bad.form) is type(good.form)
    assert not bad.is_valid() and set(bad.errors) == {"min_price", "in_stock"}
    assert good.is_valid() and good.form.cleaned_data["in_stock"] is True
    assert BookFilter(QueryDict(""), queryset=Book.objects.none()).is_valid()

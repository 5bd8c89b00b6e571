"""The shop's URLs plus two bench-only endpoints (see bench/settings.py)."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from rest_framework import viewsets

from bookstore.urls import urlpatterns as shop_urlpatterns
from catalog.api import BookViewSet
from catalog.filters import BookFilter
from catalog.search import search_words, words_condition


def ping(request):
    """The framework's floor: routing, middleware and a JSON answer, no database."""
    return JsonResponse({"status": "ok"})


class NaiveBookFilter(BookFilter):
    """`search` the naive way: `icontains` per word over title, author and description (a table scan)."""

    @staticmethod
    def searched(queryset, text):
        return queryset.filter(words_condition(search_words(text)))


class NaiveBookViewSet(BookViewSet):
    filterset_class = NaiveBookFilter

    def list(self, request, *args, **kwargs):
        return viewsets.ModelViewSet.list(self, request, *args, **kwargs)  # never from the page cache


urlpatterns = [
    re_path(r"^api/ping/?$", ping),
    re_path(r"^api/bench/naive-books/?$", NaiveBookViewSet.as_view({"get": "list"})),
    path("", include(shop_urlpatterns)),
]

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """`?page=N&page_size=M`: 20 by default, never more than 100 (larger asks are capped)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CachedCountPaginator(Paginator):
    """A paginator whose large counts are cached for a short while.

    An exact COUNT(*) over a million-row table costs more than the page itself, on every request. Up to
    EXACT_COUNT_LIMIT matching rows the count is exact (a COUNT over at most that many rows, always
    cheap); past it the full count is computed once and shared by every worker through the cache for
    COUNT_CACHE_SECONDS, so a large total may lag the catalog by that much. The rows on the page are
    always live.
    """

    EXACT_COUNT_LIMIT = 1000
    COUNT_CACHE_SECONDS = 60

    @cached_property
    def count(self) -> int:
        queryset = self.object_list.order_by()  # ordering never changes a count; sorting costs
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # e.g. queryset.none(): nothing to count
            return 0
        key = "list-count:" + hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()
        count = cache.get(key)
        if count is not None:
            return count
        count = queryset[: self.EXACT_COUNT_LIMIT].count()
        if count < self.EXACT_COUNT_LIMIT:
            return count
        count = queryset.count()
        cache.set(key, count, self.COUNT_CACHE_SECONDS)
        return count


class LargeListPagination(StandardPagination):
    """For lists that can run to a million rows (the catalog): see CachedCountPaginator."""

    django_paginator_class = CachedCountPaginator

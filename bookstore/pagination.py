import hashlib

from django.core.cache import caches
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
    cheap); past it the full count is computed once and kept in the "catalog" cache (per process) for
    COUNT_CACHE_SECONDS, so a large total may lag the catalog by that much.
    """

    EXACT_COUNT_LIMIT = 1000
    COUNT_CACHE_SECONDS = 60

    @cached_property
    def count(self) -> int:
        return self.total()

    def total(self) -> int:
        queryset = self.object_list.order_by()  # ordering never changes a count; sorting costs
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # e.g. queryset.none(): nothing to count
            return 0
        key = "list-count:" + hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()
        cache = caches["catalog"]
        count = cache.get(key)
        if count is not None:
            return count
        count = queryset[: self.EXACT_COUNT_LIMIT].count()
        if count < self.EXACT_COUNT_LIMIT:
            return count
        count = queryset.count()
        cache.set(key, count, self.COUNT_CACHE_SECONDS)
        return count

    def page(self, number):
        """A queryset sorted by a computed value (a search's relevance) is paged in two steps: first the
        ids of the page, sorting only (id, value) pairs, then those rows by primary key. Sorting every
        match with all its columns (TEXT included, which MySQL sorts through a temporary table) is what
        makes a search for a common word slow."""
        queryset = self.object_list
        sort_keys = [key.lstrip("-") for key in queryset.query.order_by if isinstance(key, str)]
        if not any(key in queryset.query.annotations for key in sort_keys):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = queryset.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = queryset.query.select_related
        by_id = {row.pk: row for row in rows}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)

import hashlib
import time
from collections.abc import Callable

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from .compiled_query import CompiledQuery


def queryset_cache_key(prefix: str, queryset: QuerySet) -> str | None:
    """A cache key for what `queryset` reads (its database, SQL and parameters); None when it can match
    nothing (`.none()`, an empty `__in`), so there is nothing to read or keep."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"{prefix}:" + hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()


class CompiledList:
    """A list paged through a CompiledQuery: each page's rows read by the SQL compiled once, with the
    page's LIMIT and OFFSET put after it, where a queryset would be built, sliced and compiled again for
    every page (a quarter of an uncached API list's time). For the lists asked for most, as they are
    (e.g. the catalog newest first); `counted()` gives the queryset that counts them, built only when
    the count is not kept, and `name` keys the kept count (CachedCountPaginator) instead of its SQL."""

    def __init__(
        self,
        query: CompiledQuery,
        *,
        name: str,
        counted: Callable[[], QuerySet],
        using: str = DEFAULT_DB_ALIAS,
    ):
        self.query, self.name, self.counted, self.using = query, name, counted, using

    def __getitem__(self, rows: slice) -> list:
        if not isinstance(rows, slice) or rows.step is not None:
            raise TypeError("a CompiledList gives slices of itself (a page), not single rows")
        return self.query.instances(using=self.using, limits=(rows.start or 0, rows.stop))


class StandardPagination(PageNumberPagination):
    """`?page=N&page_size=M`: 20 by default, never more than 100 (larger asks are capped)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CachedCountPaginator(Paginator):
    """A paginator whose large counts are cached for a short while.

    An exact COUNT(*) over a million-row table costs more than the page itself, on every request. Up to
    EXACT_COUNT_LIMIT matching rows the count is exact (a COUNT over at most that many rows, always
    cheap); past it the full count is computed once for every process and kept COUNT_CACHE_SECONDS, so a
    large total may lag the catalog by that much: in the shared "search" cache (a new or recycled worker
    takes it from there rather than counting a million rows again, 0.25 s) and, for the rest of that
    time, in the process's own "catalog" cache (no round trip while it lasts).
    """

    EXACT_COUNT_LIMIT = 1000
    COUNT_CACHE_SECONDS = 60

    @cached_property
    def count(self) -> int:
        return self.total()

    def total(self) -> int:
        key = self.count_key()
        if key is None:  # e.g. queryset.none(): nothing to count
            return 0
        local = caches["catalog"]
        count = local.get(key)
        if count is not None:
            return count
        queryset = self.counted()
        count = queryset[: self.EXACT_COUNT_LIMIT].count()
        if count < self.EXACT_COUNT_LIMIT:
            return count
        count, expires_at = self._large_count(queryset, key)
        local.set(key, count, max(1, round(expires_at - time.time())))  # never outlives the shared one
        return count

    def counted(self) -> QuerySet:
        """The queryset that counts the list, in no order (ordering never changes a count; sorting
        costs)."""
        if isinstance(self.object_list, CompiledList):
            return self.object_list.counted().using(self.object_list.using).order_by()
        return self.object_list.order_by()

    def count_key(self) -> str | None:
        """What the count is kept under: a compiled list's name, or the SQL that counts."""
        if isinstance(self.object_list, CompiledList):
            return f"list-count:{self.object_list.using}:{self.object_list.name}"
        return queryset_cache_key("list-count", self.counted())

    def _large_count(self, queryset: QuerySet, key: str) -> tuple[int, float]:
        """The full count and when it expires, from the shared cache or counted now and kept there."""
        shared = caches["search"]
        kept = shared.get(key)
        if kept is not None:
            return tuple(kept)
        counted = (queryset.count(), time.time() + self.COUNT_CACHE_SECONDS)
        shared.set(key, counted, self.COUNT_CACHE_SECONDS)
        return counted

    def page(self, number):
        """A queryset sorted by a computed value (a search's relevance) is paged in two steps: first the
        ids of the page, sorting only (id, value) pairs, then those rows by primary key. Sorting every
        match with all its columns (TEXT included, which MySQL sorts through a temporary table) is what
        makes a search for a common word slow."""
        queryset = self.object_list
        if isinstance(queryset, CompiledList):  # sliced by the compiled query
            return super().page(number)
        sort_keys = [key.lstrip("-") for key in queryset.query.order_by if isinstance(key, str)]
        if not any(key in queryset.query.annotations for key in sort_keys):
            return super().page(number)
        number = self.validate_number(number)
        bottom, top = self.bounds(number)
        return self.page_of(list(queryset.values_list("pk", flat=True)[bottom:top]), number)

    def bounds(self, number: int) -> tuple[int, int]:
        """The slice of the list that page `number` shows (Django's arithmetic, orphans included)."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return bottom, top

    def rows_by_pk(self, ids: list) -> dict:
        """The rows of these primary keys that still exist, by primary key: the list's model, with the
        list's joins."""
        rows = self.object_list.model._default_manager.order_by()  # the page puts them in order
        rows.query.select_related = self.object_list.query.select_related
        return rows.in_bulk(ids)

    def page_of(self, ids, number: int):
        """The page `number` holding the rows with these primary keys, in this order."""
        rows = self.rows_by_pk(ids) if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

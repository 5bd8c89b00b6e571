"""Paging the catalog: browsing lists by the database, word searches from their hits."""

from django.utils.functional import cached_property

from core.pagination import CachedCountPaginator, StandardPagination

from .search import SearchHits, is_word_search, search_hits
from .selectors import book_queryset


class BookPaginator(CachedCountPaginator):
    """A word search's count and pages come from its hits (`catalog.search.search_hits`): one query, or
    none while the hits are cached, then the page's books read live by primary key (a book removed since
    is left out; price and stock are current). Pages past the hits kept, and every list that is not a
    word search, are paged by the database as CachedCountPaginator does."""

    @cached_property
    def hits(self) -> SearchHits | None:
        return search_hits(self.object_list) if is_word_search(self.object_list) else None

    def total(self) -> int:
        return self.hits.total if self.hits is not None else super().total()

    def rows_by_pk(self):
        # Live rows: a book removed since the hits were found is left out. The page puts them in order.
        return book_queryset().order_by()

    def page(self, number):
        if self.hits is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom, top = self.bounds(number)
        if top > len(self.hits.ids):
            return super().page(number)
        return self.page_of(self.hits.ids[bottom:top], number)


class BookPagination(StandardPagination):
    django_paginator_class = BookPaginator

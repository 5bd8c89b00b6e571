"""Paging the catalog: browsing lists by the database, word searches from their hits."""

from django.utils.functional import cached_property

from bookstore.pagination import CachedCountPaginator, StandardPagination

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

    def page(self, number):
        if self.hits is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if top > len(self.hits.ids):
            return super().page(number)
        ids = self.hits.ids[bottom:top]
        books = book_queryset().in_bulk(ids)
        return self._get_page([books[pk] for pk in ids if pk in books], number, self)


class BookPagination(StandardPagination):
    django_paginator_class = BookPaginator

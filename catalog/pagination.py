"""Paging the catalog: browsing lists by the database, word searches from their hits."""

from django.utils.functional import cached_property

from core.pagination import CachedCountPaginator, StandardPagination

from .search import MAX_HITS, SearchHits, is_word_search, search_hits
from .selectors import books_active_by_id


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

    @property
    def count_capped(self) -> bool:
        """More books matched than the search counts: `count` and the pages cover the first MAX_HITS."""
        return self.hits is not None and self.hits.capped

    def rows_by_pk(self, ids: list) -> dict:
        # Live rows: a book removed since the hits were found is left out. The page puts them in order.
        return books_active_by_id(book_ids=ids)

    def page(self, number):
        if self.hits is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom, top = self.bounds(number)
        if top > len(self.hits.ids):
            return super().page(number)
        return self.page_of(self.hits.ids[bottom:top], number)


class BookPagination(StandardPagination):
    """A search that matched more books than it counts says so: `"count_capped": true` after `count`."""

    django_paginator_class = BookPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.page.paginator.count_capped:
            response.data = {"count": response.data.pop("count"), "count_capped": True, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_capped"] = {
            "type": "boolean",
            "description": (
                f"Present, and true, only when a search by relevance matched more than {MAX_HITS} books:"
                f" `count` is then {MAX_HITS} and the pages hold the most relevant of the first matches found."
            ),
        }
        return paginated

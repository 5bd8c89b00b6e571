from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django_filters import rest_framework as filters

from core.filters import DayRangeFilterSet, FilterSet, IntegerFilter, StrictBooleanFilter
from core.limits import MAX_ID
from core.pagination import CompiledList

from .models import Book, StockMovement
from .selectors import (
    NEWEST_FIRST,
    book_search,
    books_in_genres,
    books_newest_first,
    genre_ids_under,
)

SHORT_FILTERS = {"search", "genre"}  # the filters BookFilter.without_the_set applies itself


class BookFilter(FilterSet):
    search = filters.CharFilter(method="filter_search", max_length=200)
    genre = filters.CharFilter(method="filter_genre", max_length=120)
    author = filters.CharFilter(field_name="author", lookup_expr="icontains", max_length=255)
    min_price = filters.NumberFilter(
        field_name="price", lookup_expr="gte", min_value=0, max_digits=12, decimal_places=2
    )
    max_price = filters.NumberFilter(
        field_name="price", lookup_expr="lte", min_value=0, max_digits=12, decimal_places=2
    )
    in_stock = StrictBooleanFilter(method="filter_in_stock")
    ordering = filters.OrderingFilter(
        fields=(
            ("price", "price"),
            ("title", "title"),
            ("created_at", "created_at"),
            ("avg_rating", "avg_rating"),
            ("units_sold_30d", "bestselling"),
        ),
        help_text=(
            "Sort order; a leading `-` reverses it. `-bestselling`: most paid copies in the last 30 days "
            "first (recounted periodically by `refresh_bestsellers`, so it may lag by its schedule)."
        ),
    )

    class Meta:
        model = Book
        fields = ["search", "genre", "author", "min_price", "max_price", "in_stock"]

    def filter_search(self, queryset, name, value):
        return self.searched(queryset, value)

    @staticmethod
    def searched(queryset: QuerySet, text: str) -> QuerySet:
        """The books matching the search text (a blank one is no search)."""
        return book_search(queryset, text) if text.strip() else queryset

    def filter_genre(self, queryset, name, value):
        return self.in_genre(queryset, value)

    @staticmethod
    def in_genre(queryset: QuerySet, slug: str) -> QuerySet:
        """The books filed under the genre with this slug or a genre below it (none for an unknown slug)."""
        genre_ids = genre_ids_under(slugs=[slug])  # one query, however deep the genre's subtree
        if not genre_ids:
            return queryset.none()
        return books_in_genres(queryset, genre_ids)

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(stock__gt=0) if value else queryset.filter(stock=0)

    @property
    def qs(self):
        return _tie_broken(super().qs)

    @classmethod
    def browsed(cls, queryset: QuerySet, params) -> QuerySet | CompiledList | None:
        """The shop's books (`queryset`: `book_queryset()`) as the set would list them for these query
        parameters, when they ask for nothing but a page (the catalog as browsed: `books_newest_first`,
        the same books through one compiled query a page) or only search or name a genre
        (`without_the_set`); None when the set must answer."""
        if not cls.base_filters.keys() & params.keys():
            return books_newest_first()
        return cls.without_the_set(queryset, params)

    @classmethod
    def without_the_set(cls, queryset: QuerySet, params) -> QuerySet | None:
        """What the filter set gives for these query parameters when they filter nothing, only search
        or only name a genre, or both (browsing, the search box and the genre pages: the most asked
        lists), without building the set, its form and its filters (deep copies of them all: a sixth of
        those lists' uncached time). None for any other filter, or when a field refuses its text, so
        that the set answers that as it answers every refusal. Applied in the set's order."""
        asked = cls.base_filters.keys() & params.keys()
        if asked - SHORT_FILTERS:
            return None
        try:
            cleaned = {name: cls.base_filters[name].field.clean(params[name]) for name in asked}
        except ValidationError:
            return None
        queryset = cls.searched(queryset, cleaned.get("search") or "")
        if cleaned.get("genre"):
            queryset = cls.in_genre(queryset, cleaned["genre"])
        return _tie_broken(queryset)


def _tie_broken(queryset: QuerySet) -> QuerySet:
    """The list's order with a tie-breaker, which keeps pages stable when many books share a price or a
    title; newest first when no order was asked for."""
    ordering = list(queryset.query.order_by)
    if not ordering:
        return queryset.order_by(*NEWEST_FIRST)
    return queryset.order_by(*ordering, "-id" if ordering[0].startswith("-") else "id")


class StockMovementFilter(DayRangeFilterSet):
    """The stock ledger's filters, as the admin list offers them: book, reason, who, days."""

    book = IntegerFilter(field_name="book_id", min_value=1, max_value=MAX_ID, help_text="A book's id.")
    reason = filters.ChoiceFilter(choices=StockMovement.Reason.choices)
    actor = IntegerFilter(
        field_name="actor_id", min_value=1, max_value=MAX_ID, help_text="The id of who moved the stock."
    )

    class Meta(DayRangeFilterSet.Meta):
        model = StockMovement
        fields = ["book", "reason", "actor"]

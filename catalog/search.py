"""Word search over books: an InnoDB FULLTEXT index on MySQL/MariaDB, plain `icontains` elsewhere.

A book is found by the words of its title, author, description and genre names (`Book.genre_names`:
its genre and every genre above it, kept by the catalog services), so "mystery" finds the books filed
under Mystery, or under a genre below it, through the same index.

The client's text is never handed to the boolean-mode parser as typed: it is cut into words (`\\w+`), so
operators such as `+ - < > ( ) ~ * " @` cannot reach MATCH ... AGAINST. Each word is required (`+`) and
matched as a prefix (`*`), which keeps the meaning close to the `icontains` fallback ("hobbit" finds
"Hobbits"). InnoDB does not index words shorter than innodb_ft_min_token_size (3) nor its stopwords, so
those words are checked with `icontains` on the rows the index already found; a query made only of such
words ("It", "Oz") falls back to `icontains` over the table, the one slow path.

Finding the matches is the expensive part of a search: InnoDB reads every matching row before it can rank
or count them (about 0.1 s for a word found in 20,000 of a million books), whatever the page asked for. So
a search is answered from its *hits* (`search_hits`): the ids of its first MAX_HITS matches in the list's
order and how many there are, read in one query and shared by all its pages, its count and every process
through the "search" cache for SEARCH_CACHE_SECONDS, under the catalog's search version
(catalog/cache_version.py): a book added, changed, removed or sold out through the services is found (or
not) at once; the rows of a page are always read live. In its own order, by relevance, a search counts
and ranks no more than MAX_HITS matches (`SearchHits.capped`, "1,000+ books"), as large shops do: the
first 1,001 matches cost InnoDB a fifth of all 20,000.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, FloatField, Func, Lookup, Q, QuerySet, Value, Window

from core.pagination import queryset_cache_key

from .cache_version import search_version

FULLTEXT_INDEX = "catalog_book_fulltext"
FULLTEXT_COLUMNS = ("title", "author", "description", "genre_names")
MAX_WORDS = 8
SEARCH_RANK = "search_rank"  # the annotation that marks a word search (and holds its relevance)
RELEVANCE_ORDER = (f"-{SEARCH_RANK}", "-id")
MAX_HITS = 1000  # 50 pages of 20: deeper pages are read from the database each time
MIN_TOKEN_SIZE = 3  # innodb_ft_min_token_size, server default
MAX_TOKEN_SIZE = 84  # innodb_ft_max_token_size, server default
# INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD: never indexed, so never searchable through the index.
STOPWORDS = frozenset(
    {"a", "about", "an", "are", "as", "at", "be", "by", "com", "de", "en", "for", "from", "how", "i", "in"}
    | {"is", "it", "la", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "where"}
    | {"who", "will", "with", "und", "www"}
)

_WORD = re.compile(r"\w+")


class FullTextMatch(Func):
    """`MATCH (title, author, description, genre_names) AGAINST (%s IN BOOLEAN MODE)`: the relevance."""

    output_field = FloatField()

    def __init__(self, boolean_query: str):
        super().__init__(*FULLTEXT_COLUMNS, Value(boolean_query))

    def as_sql(self, compiler, connection, **extra_context):
        *columns, query = (compiler.compile(expression) for expression in self.get_source_expressions())
        sql = f"MATCH ({', '.join(sql for sql, _ in columns)}) AGAINST ({query[0]} IN BOOLEAN MODE)"
        return sql, [*(param for _, params in columns for param in params), *query[1]]


class FullTextMatches(Lookup):
    """`WHERE MATCH (...) AGAINST (...)`, as the FULLTEXT index expects it.

    A Lookup because Django's MySQL backend writes any other boolean expression in a WHERE clause as
    `... = True`, which for MATCH would compare the relevance with 1.
    """

    lookup_name = "fulltext_matches"
    prepare_rhs = False

    def __init__(self, boolean_query: str):
        super().__init__(FullTextMatch(boolean_query), boolean_query)

    def as_sql(self, compiler, connection):
        return compiler.compile(self.lhs)


def text_words(text: str) -> list[str]:
    return _WORD.findall(text)


def search_words(text: str) -> list[str]:
    """The words a search looks for: the first MAX_WORDS of the text."""
    return text_words(text)[:MAX_WORDS]


def is_indexed_word(word: str) -> bool:
    return MIN_TOKEN_SIZE <= len(word) <= MAX_TOKEN_SIZE and word.lower() not in STOPWORDS


def words_condition(words: list[str]) -> Q:
    """Every word somewhere in the title, author, description or genre names (the naive, scanning
    search)."""
    condition = Q()
    for word in words:
        anywhere = Q()
        for column in FULLTEXT_COLUMNS:
            anywhere |= Q(**{f"{column}__icontains": word})
        condition &= anywhere
    return condition


def fulltext_search(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Rows matching every word through the FULLTEXT index, most relevant first (MySQL/MariaDB only)."""
    indexed = [word for word in words if is_indexed_word(word)]
    if not indexed:
        return words_search(queryset, words)
    boolean_query = " ".join(f"+{word}*" for word in indexed)
    queryset = queryset.filter(FullTextMatches(boolean_query)).annotate(
        **{SEARCH_RANK: FullTextMatch(boolean_query)}
    )
    others = [word for word in words if not is_indexed_word(word)]
    if others:
        queryset = queryset.filter(words_condition(others))
    return queryset.order_by(RELEVANCE_ORDER[0])  # the list adds the tie-breaker (catalog/filters.py)


def words_search(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Rows containing every word, unranked: the fallback for databases without a FULLTEXT index. The
    constant rank still marks the queryset as a word search, so it is paged from its hits as well."""
    return queryset.filter(words_condition(words)).annotate(**{SEARCH_RANK: Value(0.0)})


def is_word_search(listed) -> bool:
    """`listed` (a queryset, or a list compiled once such as the catalog as browsed) is a word search."""
    return isinstance(listed, QuerySet) and SEARCH_RANK in listed.query.annotations


def is_ranked_search(listed) -> bool:
    """A search that ranks its matches (FULLTEXT), whatever order the list asks for."""
    return isinstance(listed, QuerySet) and isinstance(
        listed.query.annotations.get(SEARCH_RANK), FullTextMatch
    )


def is_ranked_by_relevance(queryset: QuerySet) -> bool:
    """A full-text search in its own order: most relevant first, the newest first among equals."""
    return tuple(queryset.query.order_by) == RELEVANCE_ORDER


@dataclass(frozen=True)
class SearchHits:
    """A search's matches in the list's order: the ids of the first MAX_HITS of them and how many there
    are; or, when `capped`, MAX_HITS and the ids of those, as more matched than were counted."""

    ids: tuple[int, ...]
    total: int
    capped: bool = False


def search_hits(queryset: QuerySet) -> SearchHits:
    """The hits of a word search (`is_word_search`) with its filters and ordering, in one query, so the
    index's work is done once rather than once for the count and again for the page. Kept in the shared
    "search" cache for SEARCH_CACHE_SECONDS (0 turns that off) under the search version: a title changed
    around the services (a raw UPDATE) shows in searches that much later."""
    seconds = settings.SEARCH_CACHE_SECONDS
    if not seconds:
        return _hits_found(queryset)
    key = queryset_cache_key("search-hits", queryset)
    if key is None:  # e.g. an unknown genre: nothing can match
        return SearchHits(ids=(), total=0)
    key = f"{search_version()}:{key}"
    kept = caches["search"].get(key)
    if kept is not None:
        ids, total, capped = kept
        return SearchHits(ids=tuple(ids), total=total, capped=capped)
    hits = _hits_found(queryset)
    caches["search"].set(key, (list(hits.ids), hits.total, hits.capped), seconds)  # plain values
    return hits


def _hits_found(queryset: QuerySet) -> SearchHits:
    """Asks the database (a query that can match nothing, e.g. of an unknown genre, is not sent)."""
    if is_ranked_by_relevance(queryset):
        return _relevance_hits(queryset)
    # Any other order sorts every match anyway, so the exact total comes along (`COUNT(*) OVER ()`).
    rows = list(
        queryset.annotate(search_total=Window(Count("pk"))).values_list("pk", "search_total")[:MAX_HITS]
    )
    return SearchHits(ids=tuple(pk for pk, _ in rows), total=rows[0][1] if rows else 0)


def _relevance_hits(queryset: QuerySet) -> SearchHits:
    """The first MAX_HITS + 1 matches as the index finds them, unordered, ranked here exactly as
    RELEVANCE_ORDER would: when that is all of them, these are the search's hits and its exact count.
    Otherwise the count stops at MAX_HITS (`capped`) and the hits are the best MAX_HITS of those first
    found (the index gives the books in the order they were indexed, oldest first): unordered, InnoDB stops
    reading at the limit (0.02 s for a word in 20,000 of a million books), while ranking or counting every
    match reads every matching row (0.1 s)."""
    found = list(queryset.order_by().values_list("pk", SEARCH_RANK)[: MAX_HITS + 1])
    found.sort(key=lambda hit: (hit[1], hit[0]), reverse=True)  # RELEVANCE_ORDER
    capped = len(found) > MAX_HITS
    ids = tuple(pk for pk, _ in found[:MAX_HITS])
    return SearchHits(ids=ids, total=len(ids), capped=capped)

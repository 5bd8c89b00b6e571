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
them (about 0.2 s for a word found in 20,000 of a million books), whatever the page asked for. So a
search is answered from its *hits* (`search_hits`): the ids of its first MAX_HITS matches in the list's
order and how many there are, read in one query and shared by all its pages, its count and every process
through the "search" cache for SEARCH_CACHE_SECONDS, under the catalog's search version
(catalog/cache_version.py): a book added, changed, removed or sold out through the services is found (or
not) at once; the rows of a page are always read live.
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
    return queryset.order_by(f"-{SEARCH_RANK}")


def words_search(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Rows containing every word, unranked: the fallback for databases without a FULLTEXT index. The
    constant rank still marks the queryset as a word search, so it is paged from its hits as well."""
    return queryset.filter(words_condition(words)).annotate(**{SEARCH_RANK: Value(0.0)})


def is_word_search(queryset: QuerySet) -> bool:
    return SEARCH_RANK in queryset.query.annotations


@dataclass(frozen=True)
class SearchHits:
    """A search's matches in the list's order: the ids of the first MAX_HITS of them, and how many."""

    ids: tuple[int, ...]
    total: int


def search_hits(queryset: QuerySet) -> SearchHits:
    """The hits of a word search (`is_word_search`) with its filters and ordering, in one query: the ids
    of the first MAX_HITS matches and the total (`COUNT(*) OVER ()`), so the index's work is done once
    rather than once for the count and again for the page. Kept in the shared "search" cache for
    SEARCH_CACHE_SECONDS (0 turns that off) under the search version: a title changed around the
    services (a raw UPDATE) shows in searches that much later."""
    ranked = queryset.annotate(search_total=Window(Count("pk"))).values_list("pk", "search_total")
    seconds = settings.SEARCH_CACHE_SECONDS
    if not seconds:
        return _hits_found(ranked)
    key = queryset_cache_key("search-hits", ranked)
    if key is None:  # e.g. an unknown genre: nothing can match
        return SearchHits(ids=(), total=0)
    key = f"{search_version()}:{key}"
    kept = caches["search"].get(key)
    if kept is not None:
        ids, total = kept
        return SearchHits(ids=tuple(ids), total=total)
    hits = _hits_found(ranked)
    caches["search"].set(key, (list(hits.ids), hits.total), seconds)  # plain values: no class pickled
    return hits


def _hits_found(ranked: QuerySet) -> SearchHits:
    """Asks the database (a query that can match nothing, e.g. of an unknown genre, is not sent)."""
    rows = list(ranked[:MAX_HITS])
    return SearchHits(ids=tuple(pk for pk, _ in rows), total=rows[0][1] if rows else 0)

""" "Did you mean …": a small vocabulary of the catalog's words and a typo-tolerant lookup in it.

The vocabulary (`SearchTerm`) holds every word of the books' titles, authors and genre names, folded
(lower case, accents dropped, so "Café" and "cafe" are one word on SQLite as under MariaDB's
accent-insensitive collation), with how many books use it. Each term is stored with its *variants*: the
term itself and the term with any one letter left out (`SearchTermVariant`). A typed word and a term
one edit apart (a letter wrong, missing, extra, or two swapped) always share a variant, so one indexed
`variant IN (...)` query finds the candidates whatever the size of the catalog (the symmetric-delete
method); their exact distance is then computed here, on a handful of words. It works the same on SQLite
and MariaDB and costs two small indexed queries plus one over the genre names.

Upkeep: the book and genre services add the words of what they write (`search_terms_add`), so a new
title can be suggested at once; `python manage.py rebuild_search_terms` (`search_terms_rebuild`) recounts
everything, adds what bulk loads bypassed and drops words no book uses any more. Genre names are also
read live at every lookup (a small table), so a genre is suggested even before any rebuild.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from tqdm import tqdm

from .models import Book, Genre, SearchTerm, SearchTermVariant
from .search import search_words, text_words

TERM_MIN_LENGTH = 3
TERM_MAX_LENGTH = 64  # SearchTerm.word's max_length
# From this length on, a term two edits away is still a likely typo (the variants find those that share
# a one-letter deletion with the word, e.g. a letter missing and another one extra).
LONG_WORD = 8
BATCH = 1000


def fold(text: str) -> str:
    """Lower case without accents: "Café" → "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def term_words(text: str) -> list[str]:
    """The words of a text the vocabulary keeps: folded, letters only, 3 to 64 of them."""
    words = (fold(word) for word in text_words(text))
    return [word for word in words if word.isalpha() and TERM_MIN_LENGTH <= len(word) <= TERM_MAX_LENGTH]


def variants(word: str) -> set[str]:
    """The word and the word with any one letter left out."""
    return {word} | {word[:index] + word[index + 1 :] for index in range(len(word))}


def edit_distance(first: str, second: str) -> int:
    """Letters to change, add, remove or swap (adjacent) to turn one word into the other (the optimal
    string alignment distance)."""
    previous_row, row = None, list(range(len(second) + 1))
    for i, char in enumerate(first, start=1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            cost = 0 if char == other else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def _max_distance(word: str) -> int:
    return 2 if len(word) >= LONG_WORD else 1


def _genre_words() -> set[str]:
    words = set()
    for name in Genre.objects.values_list("name", flat=True):
        words.update(term_words(name))
    return words


def spelling_suggest(text: str) -> str | None:
    """The search text with each word the catalog does not know replaced by the closest word it does
    (fewest edits, then the word more books use), or None when there is nothing to correct."""
    words = search_words(text)
    checkable = set(term_words(" ".join(words)))
    if not checkable:
        return None
    genre_words = _genre_words()
    known = genre_words | set(SearchTerm.objects.filter(word__in=checkable).values_list("word", flat=True))
    unknown = checkable - known
    if not unknown:
        return None
    keys = set().union(*(variants(word) for word in unknown))
    candidates: dict[str, int] = dict.fromkeys(genre_words, 0)
    for word, book_count in SearchTermVariant.objects.filter(variant__in=keys).values_list(
        "term__word", "term__book_count"
    ):
        candidates[word] = max(book_count, candidates.get(word, 0))
    corrections = {}
    for word in unknown:
        scored = [
            (distance, -book_count, candidate)
            for candidate, book_count in candidates.items()
            if (distance := edit_distance(word, candidate)) <= _max_distance(word)
        ]
        if scored:
            corrections[word] = min(scored)[2]
    if not corrections:
        return None
    return " ".join(corrections.get(fold(word), word) for word in words)


# --- Upkeep ----------------------------------------------------------------------------------------


def _terms_create(counts: dict[str, int]) -> None:
    """New terms and their variants (a word another process added meanwhile is left as it is)."""
    words = list(counts)
    for start in range(0, len(words), BATCH):
        batch = words[start : start + BATCH]
        with transaction.atomic():
            SearchTerm.objects.bulk_create(
                [SearchTerm(word=word, book_count=counts[word]) for word in batch], ignore_conflicts=True
            )
            SearchTermVariant.objects.bulk_create(
                [
                    SearchTermVariant(variant=variant, term_id=term_id)
                    for word, term_id in SearchTerm.objects.filter(word__in=batch).values_list("word", "pk")
                    for variant in variants(word)
                ],
                ignore_conflicts=True,
            )


def search_terms_add(*, texts: Iterable[str]) -> int:
    """Add the words of these texts (a book's title and author, a genre's name) that the vocabulary does
    not have yet; their counts are the rebuild's job. Returns how many were new."""
    words = set()
    for text in texts:
        words.update(term_words(text))
    if not words:
        return 0
    new = words - set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))
    _terms_create(dict.fromkeys(new, 1))
    return len(new)


@dataclass(frozen=True)
class SearchTermsReport:
    added: int
    recounted: int
    removed: int
    total: int


def search_terms_rebuild(*, progress: bool = False) -> SearchTermsReport:
    """Recount the vocabulary from every book in the catalog (one streamed read of title, author and
    genre names) and every genre name; write only the difference. Safe to run at any time, and again."""
    books = Book.objects.filter(is_active=True).values_list("title", "author", "genre_names")
    counts: Counter[str] = Counter()
    rows = books.iterator(chunk_size=5000)
    for title, author, genre_names in tqdm(
        rows, total=books.count() if progress else None, disable=not progress, unit="book"
    ):
        counts.update(set(term_words(f"{title} {author} {genre_names}")))
    for word in _genre_words():
        counts.setdefault(word, 0)
    existing = {
        word: (pk, book_count)
        for pk, word, book_count in SearchTerm.objects.values_list("pk", "word", "book_count")
    }
    _terms_create({word: count for word, count in counts.items() if word not in existing})
    recounted = [
        SearchTerm(pk=pk, book_count=counts[word])
        for word, (pk, book_count) in existing.items()
        if word in counts and counts[word] != book_count
    ]
    SearchTerm.objects.bulk_update(recounted, ["book_count"], batch_size=BATCH)
    gone = [pk for word, (pk, _) in existing.items() if word not in counts]
    for start in range(0, len(gone), BATCH):
        SearchTerm.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    return SearchTermsReport(
        added=len(counts.keys() - existing.keys()),
        recounted=len(recounted),
        removed=len(gone),
        total=len(counts),
    )

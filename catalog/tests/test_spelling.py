""" "Did you mean …": the vocabulary of titles, authors and genre names, and the typo-tolerant lookup."""

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book, SearchTerm, SearchTermVariant
from catalog.services import book_create, genre_save
from catalog.spelling import (
    edit_distance,
    fold,
    search_terms_rebuild,
    spelling_suggest,
    term_words,
    variants,
)

pytestmark = pytest.mark.django_db


def test_words_are_folded_letters_of_three_or_more():
    assert fold("Café ÉCOLE Straße") == "cafe ecole strasse"
    assert term_words("The Hobbit: 2nd ed., by J. R. R. Tolkien — Zoë") == ["the", "hobbit", "tolkien", "zoe"]


def test_variants_are_the_word_and_every_one_letter_deletion():
    assert variants("abc") == {"abc", "bc", "ac", "ab"}


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("mystery", "mystery", 0),
        ("mistery", "mystery", 1),
        ("mystry", "mystery", 1),
        ("mysterry", "mystery", 1),
        ("mysetry", "mystery", 1),
        ("thriler", "thriller", 1),
        ("dune", "emma", 4),
        ("", "abc", 3),
    ],
)
def test_edit_distance_counts_changes_additions_removals_and_swaps(first, second, distance):
    assert edit_distance(first, second) == distance == edit_distance(second, first)


def test_a_genre_is_suggested_from_its_live_name_without_any_vocabulary():
    GenreFactory(name="Mystery", slug="mystery")
    SearchTerm.objects.all().delete()

    assert spelling_suggest("mistery") == "mystery"
    assert spelling_suggest("Thriler") is None  # no such genre, nothing close


def test_title_and_author_words_are_suggested_most_used_first():
    BookFactory(title="Dune", author="Frank Herbert")
    BookFactory(title="Dune Messiah", author="Frank Herbert")
    BookFactory(title="June Days", author="Ann Other")
    search_terms_rebuild()

    assert spelling_suggest("dnue") == "dune"  # two letters swapped
    assert spelling_suggest("hune") == "dune"  # one letter from "dune" (2 books) and "june" (1)
    assert spelling_suggest("frank herbrt") == "frank herbert"  # only the unknown word changes
    assert spelling_suggest("Herbert") is None  # nothing to correct
    assert spelling_suggest("xqzw") is None  # nothing close
    assert spelling_suggest("  !!! ") is None


def test_long_words_may_be_two_edits_away_short_ones_one():
    BookFactory(title="Encyclopaedia", author="A. Writer")
    BookFactory(title="Cat", author="A. Writer")

    assert spelling_suggest("enciclopedya") is None  # three edits
    assert spelling_suggest("encyclopadiaa") == "encyclopaedia"  # two: one letter missing, one extra
    assert spelling_suggest("cta") == "cat"
    assert spelling_suggest("dag") is None  # two edits from "cat": too far for a short word


def test_lookup_costs_three_small_queries(django_assert_max_num_queries):
    BookFactory(title="Mystery Garden")

    with django_assert_max_num_queries(3):  # genre names, known words, the variants' terms
        assert spelling_suggest("mistery gardn") == "mystery garden"


def test_services_add_new_words_at_once():
    genre = genre_save(name="Space Opera", slug="space-opera")
    book_create(
        title="Starfall Chronicles", author="Mira Quell", isbn="9780306406157", price="9.99", genre=genre
    )

    assert {"space", "opera", "starfall", "chronicles", "mira", "quell"} <= set(
        SearchTerm.objects.values_list("word", flat=True)
    )
    assert set(SearchTermVariant.objects.filter(term__word="quell").values_list("variant", flat=True)) == {
        "quell",
        "uell",
        "qell",
        "qull",
        "quel",
    }


def test_rebuild_recounts_adds_what_bulk_loads_skipped_and_drops_unused_words():
    BookFactory(title="Silver River", author="Ann Lake")
    Book.objects.bulk_create([Book(title="Silver Moon", author="Ann Lake", isbn="9780306406157", price=5)])
    SearchTerm.objects.create(word="obsolete", book_count=4)

    report = search_terms_rebuild()

    counts = dict(SearchTerm.objects.values_list("word", "book_count"))
    assert counts["silver"] == 2 and counts["moon"] == 1 and counts["ann"] == 2
    assert "obsolete" not in counts
    assert report.removed == 1 and report.added >= 1
    again = search_terms_rebuild()
    assert (again.added, again.recounted, again.removed) == (0, 0, 0)
    assert dict(SearchTerm.objects.values_list("word", "book_count")) == counts


def test_books_out_of_the_catalog_do_not_count():
    book = BookFactory(title="Vanished", author="Ann Lake")
    Book.objects.filter(pk=book.pk).update(is_active=False)

    search_terms_rebuild()

    assert not SearchTerm.objects.filter(word="vanished").exists()


def test_rebuild_command_reports_what_it_did():
    BookFactory(title="Silver River", author="Ann Lake")
    SearchTerm.objects.all().delete()
    out = StringIO()

    call_command("rebuild_search_terms", "--no-progress", stdout=out)

    assert out.getvalue().startswith(f"{SearchTerm.objects.count()} word(s): ")
    assert {"silver", "river", "ann", "lake"} <= set(SearchTerm.objects.values_list("word", flat=True))

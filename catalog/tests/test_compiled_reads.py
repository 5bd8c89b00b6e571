"""The book page's reads compiled once per process (core/compiled_query.py) give what the ORM gives."""

import pytest

from catalog import selectors
from catalog.factories import BookFactory, GenreFactory
from catalog.models import Book, BookRelation
from core.errors import NotFound

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in Book._meta.concrete_fields]


def _fields(book: Book) -> list:
    return [getattr(book, name) for name in FIELDS]


def test_the_active_book_is_read_with_every_field_as_the_orm_reads_it(django_assert_num_queries):
    book = BookFactory(price="12.50", genre=GenreFactory(name="Sea stories"))

    with django_assert_num_queries(1):  # its genre joined in
        found = selectors.book_get_active(book_id=book.pk)
        assert found.genre.name == "Sea stories"

    assert _fields(found) == _fields(Book.objects.get(pk=book.pk))
    assert found.is_active is True and found.created_at.tzinfo is not None


@pytest.mark.parametrize("book_id", [0, -1, 2**53 + 1, 10**30])
def test_no_such_book_asks_nothing_it_need_not(book_id, django_assert_num_queries):
    removed = BookFactory(is_active=False)

    with django_assert_num_queries(1), pytest.raises(NotFound):
        selectors.book_get_active(book_id=removed.pk)
    with django_assert_num_queries(0), pytest.raises(NotFound):
        selectors.book_get_active(book_id=book_id)


def test_related_books_are_the_orm_s_in_its_order(django_assert_num_queries):
    book = BookFactory(author="Ann Author")
    others = [BookFactory(author="Ann Author", units_sold_30d=sold) for sold in (3, 9, 1)]
    BookFactory(author="Ann Author", is_active=False)
    bought = [BookFactory(), BookFactory(), BookFactory(is_active=False)]
    for score, related in zip((2, 7, 9), bought, strict=True):
        BookRelation.objects.create(book=book, related=related, score=score)

    with django_assert_num_queries(2):  # and their genres came along
        related = selectors.book_related(book=book)
        assert [b.genre.name for b in related.also_bought] == [b.genre.name for b in bought[1::-1]]

    assert related.also_bought == [bought[1], bought[0]]  # by score; the removed book left out
    assert related.by_author == [others[1], others[0], others[2]]  # bestsellers first, not itself
    assert [_fields(b) for b in related.by_author] == [
        _fields(Book.objects.get(pk=b.pk)) for b in related.by_author
    ]

"""BookSerializer builds a book's JSON directly (the hot path of every list, search and book answer):
it must say exactly what DRF's field-by-field path says for the same declared fields."""

from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from catalog.factories import BookFactory, GenreFactory
from catalog.models import TaxClass
from catalog.selectors import book_queryset
from catalog.serializers import BookSerializer

pytestmark = pytest.mark.django_db


def _books_of_every_shape() -> list:
    """A rated book with a genre and a cover, a plain one, and one as a service leaves it (unsaved values)."""
    rated = BookFactory(genre=GenreFactory(slug="sea-stories"), avg_rating=Decimal("4.50"), review_count=2)
    rated.cover = "covers/rated.jpg"
    rated.save()
    plain = BookFactory(genre=None, tax_class=TaxClass.ZERO, price=Decimal("7.00"))
    fresh = BookFactory.build(pk=999, genre=None, price=Decimal("12.5"), avg_rating=Decimal("3"))
    fresh.tax_class = TaxClass.STANDARD  # as a service leaves it: the enum member, not its value
    fresh.created_at = plain.created_at
    return [*book_queryset().filter(pk__in=[rated.pk, plain.pk]), fresh]


def _field_by_field(serializer, book) -> dict:
    """What DRF's own path says: every declared field in turn."""
    return dict(serializers.Serializer.to_representation(serializer, book))


@pytest.mark.parametrize("with_request", [True, False], ids=["request", "no-request"])
def test_the_direct_representation_is_drfs_own(with_request):
    assert_drfs_own_representation(BookSerializer, with_request=with_request)


def assert_drfs_own_representation(serializer_class, *, with_request: bool) -> None:
    context = {"request": APIRequestFactory().get("/api/books/")} if with_request else {}
    for book in _books_of_every_shape():
        serializer = serializer_class(book, context=context)

        direct = serializer.data

        assert direct == _field_by_field(serializer_class(book, context=context), book)
        assert list(direct) == serializer_class.Meta.fields  # the declared order


def test_the_formats_are_the_apis():
    book = _books_of_every_shape()[2]

    data = BookSerializer(book).data

    assert (data["price"], data["avg_rating"], data["tax_class"], data["genre"]) == (
        "12.50",
        "3.00",
        "standard",
        None,
    )
    assert data["created_at"].endswith("Z") and data["cover_url"] is None

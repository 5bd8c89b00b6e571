from decimal import Decimal

import factory

from .isbn import isbn13_from_prefix
from .models import Book, Genre


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")
    parent = None


class BookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Book

    title = factory.Sequence(lambda n: f"Book number {n}")
    author = "Jane Author"
    isbn = factory.Sequence(lambda n: isbn13_from_prefix(f"978{n:09d}"))
    description = "A book."
    price = Decimal("10.00")
    stock = 10
    genre = factory.SubFactory(GenreFactory)

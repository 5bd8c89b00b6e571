from decimal import Decimal

import factory

from .isbn import isbn13_from_prefix
from .models import Book, Genre
from .selectors import genre_names_by_id
from .spelling import search_terms_add


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")
    parent = None


class BookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Book
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Book number {n}")
    author = "Jane Author"
    isbn = factory.Sequence(lambda n: isbn13_from_prefix(f"978{n:09d}"))
    description = "A book."
    price = Decimal("10.00")
    stock = 10
    genre = factory.SubFactory(GenreFactory)
    # What `catalog.services.book_create` keeps beside the row: the searchable genre names and the
    # "Did you mean" vocabulary.
    genre_names = factory.LazyAttribute(lambda book: genre_names_by_id()[book.genre.pk] if book.genre else "")

    @factory.post_generation
    def search_terms(book, create, extracted, **kwargs):
        if create:
            search_terms_add(texts=[book.title, book.author])

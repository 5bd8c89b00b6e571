"""Catalog reads, shaped once for the API, the shop pages and the admin."""

from django.db.models import Q, QuerySet

from .isbn import isbn_normalize
from .models import Book, Genre


def genre_descendant_ids(genre: Genre) -> list[int]:
    """The genre and every genre nested under it, one query per level."""
    ids, frontier = [genre.pk], [genre.pk]
    while frontier:
        frontier = list(Genre.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids


def book_queryset() -> QuerySet:
    """Active books with what every listing shows (the genre) joined in."""
    return Book.objects.filter(is_active=True).select_related("genre")


def book_search(queryset: QuerySet, text: str) -> QuerySet:
    """Exact ISBN lookup when the text is an ISBN, otherwise words over title, author and description."""
    isbn = isbn_normalize(text)
    if isbn:
        return queryset.filter(isbn=isbn)
    condition = Q()
    for word in text.split()[:8]:
        condition &= Q(title__icontains=word) | Q(author__icontains=word) | Q(description__icontains=word)
    return queryset.filter(condition)


def book_get(*, book_id: int) -> Book:
    return book_queryset().get(pk=book_id)

"""Catalog reads, shaped once for the API, the shop pages and the admin."""

from dataclasses import dataclass, field

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


@dataclass
class GenreNode:
    genre: Genre
    children: list["GenreNode"] = field(default_factory=list)


def genre_tree() -> list[GenreNode]:
    """Every genre nested under its parent, top level first, each level by name; one query."""
    nodes = {genre.pk: GenreNode(genre) for genre in Genre.objects.order_by("name", "id")}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.genre.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def genre_path(genre: Genre) -> list[Genre]:
    """The genre's ancestors from the top level down, ending with the genre itself (breadcrumbs)."""
    path, seen = [genre], {genre.pk}
    while path[0].parent_id and path[0].parent_id not in seen:
        parent = Genre.objects.get(pk=path[0].parent_id)
        seen.add(parent.pk)
        path.insert(0, parent)
    return path


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

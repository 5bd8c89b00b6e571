"""Shopper catalog pages: the searchable, filterable book list and the book page.

Filtering and sorting are `BookFilter`'s (the same one the API uses); these views only render.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .filters import BookFilter
from .models import Book

BOOKS_PER_PAGE = 20

# What the sort menu offers, as BookFilter `ordering` values; the first is the default order.
SORT_CHOICES = [
    ("-created_at", "Newest"),
    ("price", "Price: low to high"),
    ("-price", "Price: high to low"),
    ("title", "Title: A to Z"),
    ("-avg_rating", "Top rated"),
]

FILTER_LABELS = {
    "search": "Search",
    "genre": "Genre",
    "author": "Author",
    "min_price": "Minimum price",
    "max_price": "Maximum price",
    "in_stock": "In stock",
    "ordering": "Sort",
}


def book_list(request):
    books = BookFilter(request.GET, queryset=selectors.book_queryset())
    if not books.is_valid():
        problems = "; ".join(
            f"{FILTER_LABELS.get(name, name)}: {' '.join(errors)}" for name, errors in books.errors.items()
        )
        messages.error(request, f"Some filters could not be applied, so all books are shown. {problems}")
        books = BookFilter(queryset=selectors.book_queryset())
    page = Paginator(books.qs, BOOKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/book_list.html",
        {
            "page_obj": page,
            "books": page.object_list,
            "genres": selectors.genre_tree(),
            "current_genre": request.GET.get("genre", ""),
            "sort_choices": SORT_CHOICES,
            "current_sort": request.GET.get("ordering") or SORT_CHOICES[0][0],
            "is_filtered": any(request.GET.get(name) for name in FILTER_LABELS if name != "ordering"),
        },
    )


def book_detail(request, book_id: int):
    try:
        book = selectors.book_get(book_id=book_id)
    except Book.DoesNotExist:
        raise Http404("No such book in the catalog.") from None
    return render(
        request,
        "catalog/book_detail.html",
        {"book": book, "genre_path": selectors.genre_path(book.genre) if book.genre else []},
    )

"""Shopper catalog pages: the searchable, filterable book list, the book page (wishlist toggle, "notify
me" for sold-out titles; its reviews are the reviews app's template tag), the wishlist page and the
shopper's preferences (which mail about books, favourite genres).

Filtering and sorting are `BookFilter`'s (the same one the API uses). Every write is a `page_action`: a
POST with CSRF protection that calls the same `catalog.services` function as the API and redirects with a
message; a refused write changes nothing and is reported by `core.page_errors`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_safe

from core.page_errors import action_back, page_action
from insights.services import book_view_record, search_record

from . import selectors, services
from .filters import BookFilter
from .forms import PreferencesForm
from .pagination import BookPaginator

BOOKS_PER_PAGE = 20
WISHLIST_PER_PAGE = 20

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
    page = BookPaginator(books.qs, BOOKS_PER_PAGE).get_page(request.GET.get("page"))
    query = books.form.cleaned_data.get("search") if books.is_valid() else ""
    if query and request.GET.get("page", "1") == "1":  # the next pages of a search are no new search
        search_record(query=query, results=page.paginator.count)
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


@require_safe
def book_detail(request, book_id: int):
    book = selectors.book_get_active(book_id=book_id)
    if request.method == "GET":  # a link checker's HEAD is no shopper
        book_view_record(book_id=book.pk)
    user = request.user
    return render(
        request,
        "catalog/book_detail.html",
        {
            "book": book,
            "genre_path": selectors.genre_path(book.genre) if book.genre else [],
            "on_wishlist": selectors.wishlist_contains(user=user, book_id=book.pk),
            "waiting_prebooking": selectors.prebooking_waiting_for(user=user, book_id=book.pk),
        },
    )


def book_page_or_catalog(request, book_id: int | None = None, **kwargs) -> str:
    """Where a write made from the book page (or about a book) goes back to."""
    return reverse("catalog:book_detail", args=[book_id]) if book_id else reverse("catalog:home")


@login_required
@require_safe
def wishlist(request):
    page = Paginator(selectors.wishlist_for_user(user=request.user), WISHLIST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/wishlist.html", {"page_obj": page, "items": page.object_list})


@page_action(back=book_page_or_catalog, login_required=True)
def wishlist_add(request, book_id: int):
    item = services.wishlist_add(user=request.user, book_id=book_id)
    messages.success(
        request,
        format_html(
            'Added “{}” to your wishlist. <a href="{}">View your wishlist</a>',
            item.book.title,
            reverse("catalog:wishlist"),
        ),
    )
    return redirect(action_back(request))


@page_action(back=book_page_or_catalog, login_required=True)
def wishlist_remove(request, book_id: int):
    services.wishlist_remove(user=request.user, book_id=book_id)
    messages.success(request, "The book was removed from your wishlist.")
    return redirect(action_back(request))


@page_action(back=book_page_or_catalog, login_required=True)
def prebooking_create(request, book_id: int):
    prebooking = services.prebooking_create(user=request.user, book_id=book_id)
    messages.success(request, f"We'll email you when “{prebooking.book.title}” is back in stock.")
    return redirect(action_back(request))


@page_action(back="catalog:home", login_required=True)
def prebooking_cancel(request, prebooking_id: int):
    services.prebooking_cancel(user=request.user, prebooking_id=prebooking_id)
    messages.success(request, "Done: we will not email you when that title is back in stock.")
    return redirect(action_back(request))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = selectors.preferences_for(user=request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={**vars(current), "favourite_genres": list(current.favourite_genres)},
    )
    if form.is_valid():
        services.preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your preferences have been saved.")
        return redirect("catalog:preferences")
    return render(request, "catalog/preferences.html", {"form": form})

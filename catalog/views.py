"""Shopper catalog pages: the searchable, filterable book list (a genre's page when `?genre=` names
one), the book page (wishlist toggle, "notify me" for sold-out titles, related books; its reviews are the
reviews app's template tag), the wishlist, the "Notify me" list, the search box's suggestions and the
shopper's preferences (which mail about books, favourite genres).

Filtering and sorting are `BookFilter`'s (the same one the API uses). Every write is a `page_action`: a
POST with CSRF protection that calls the same `catalog.services` function as the API and redirects with a
message; a refused write changes nothing and is reported by `core.page_errors`.
"""

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from core.page_errors import action_back, page_action
from core.page_shell import Shell, shell_render, shell_response
from core.pagination import CompiledList
from insights.services import book_view_record, search_record

from . import selectors, services
from .filters import BookFilter
from .forms import PreferencesForm
from .page_cache import shell_kept
from .pagination import BookPaginator
from .search import is_ranked_search
from .spelling import spelling_suggest

BOOKS_PER_PAGE = 20
WISHLIST_PER_PAGE = 20
NOTIFY_ME_PER_PAGE = 20
SUGGEST_CACHE_SECONDS = 60

# What the sort menu offers, as BookFilter `ordering` values; the first is the default order.
SORT_CHOICES = [
    ("-created_at", "Newest"),
    ("-bestselling", "Bestsellers"),
    ("price", "Price: low to high"),
    ("-price", "Price: high to low"),
    ("title", "Title: A to Z"),
    ("-avg_rating", "Top rated"),
]
# A ranked search's own order (no `ordering`), offered first while searching on MariaDB/MySQL.
RELEVANCE_SORT = ("", "Relevance")

PANEL_FILTERS = ("min_price", "max_price", "in_stock")
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
    """The catalog; with `?genre=` the genre's page (its name as heading, title and breadcrumbs), with
    `?search=` the results (a blank search is no search), and "Did you mean …" when nothing matched.
    The same for every visitor but for the personal parts, so served from the page cache
    (catalog/page_cache.py); a search is counted on every request all the same."""
    shell = shell_kept(request, "book-list", lambda: _book_list_shell(request))
    if "search" in shell.extra:
        search_record(**shell.extra["search"])
    return shell_response(request, shell)


def _books_listed(request) -> tuple[QuerySet | CompiledList, str, bool]:
    """The books the query string asks for, the search text that found them ("" for none) and whether
    every filter applied: when one is refused, all books, and a message says why."""
    shop_books = selectors.book_queryset()
    browsed = BookFilter.browsed(shop_books, request.GET)
    if browsed is not None:  # browsing, or a search or a genre their fields accepted: no set built
        return browsed, request.GET.get("search", "").strip(), True
    books = BookFilter(request.GET, queryset=shop_books)
    if books.is_valid():
        return books.qs, books.form.cleaned_data.get("search") or "", True
    problems = "; ".join(
        f"{FILTER_LABELS.get(name, name)}: {' '.join(errors)}" for name, errors in books.errors.items()
    )
    messages.error(request, f"Some filters could not be applied, so all books are shown. {problems}")
    return selectors.books_newest_first(), "", False


def _book_list_shell(request) -> Shell:
    listed, query, valid = _books_listed(request)
    page = BookPaginator(listed, BOOKS_PER_PAGE).get_page(request.GET.get("page"))
    search = request.GET.get("search", "").strip()
    genres = selectors.genre_tree()
    genre_slug = request.GET.get("genre", "")
    genre_path = selectors.genre_tree_path(genres, genre_slug) if genre_slug else []
    sort_choices = [RELEVANCE_SORT, *SORT_CHOICES] if is_ranked_search(listed) else SORT_CHOICES
    extra = {}
    if query and request.GET.get("page", "1") == "1":  # the next pages of a search are no new search
        extra["search"] = {"query": query, "results": page.paginator.count}
    return shell_render(
        request,
        "catalog/book_list.html",
        {
            "page_obj": page,
            "books": page.object_list,
            "genres": genres,
            "search": search,
            "current_genre": genre_slug,
            "genre": genre_path[-1] if genre_path else None,
            "genre_path": genre_path,
            "did_you_mean": spelling_suggest(search) if search and not page.paginator.count else None,
            "sort_choices": sort_choices,
            "current_sort": request.GET.get("ordering") or sort_choices[0][0],
            "is_filtered": any(
                request.GET.get(name, "").strip() for name in FILTER_LABELS if name != "ordering"
            ),
            # The price and stock filters live in the folded panel: it opens when one is in use.
            "panel_filtered": any(request.GET.get(name, "").strip() for name in PANEL_FILTERS),
        },
        extra=extra,
        cacheable=valid,  # the message about the filters is this request's
    )


@require_safe
@cache_control(public=True, max_age=SUGGEST_CACHE_SECONDS)
def search_suggest(request):
    """`{"query", "suggestions": [{kind, label, url, detail}]}` for the search box while the shopper
    types (static/js/search-suggest.js). The same for everyone, so kept a minute in the per-process
    catalog cache and by browsers and proxies."""
    text = " ".join(request.GET.get("q", "").split())[: selectors.SUGGEST_MAX_LENGTH]
    key = f"search-suggest:{text.casefold()}"
    suggestions = caches["catalog"].get(key) if settings.SEARCH_CACHE_SECONDS else None
    if suggestions is None:
        suggestions = [asdict(suggestion) for suggestion in selectors.search_suggestions(text)]
        if settings.SEARCH_CACHE_SECONDS:
            caches["catalog"].set(key, suggestions, SUGGEST_CACHE_SECONDS)
    return JsonResponse({"query": text, "suggestions": suggestions})


@require_safe
def book_detail(request, book_id: int):
    """The book page, served from the page cache (catalog/page_cache.py): what the shopper may do about
    the book (wishlist, "Notify me", their review) is a personal part, drawn once into the anonymous
    visitors' page and per request for a logged-in shopper. Each view is counted either way."""
    page = "book" if request.user.is_authenticated else "book-anonymous"
    shell = shell_kept(request, page, lambda: _book_detail_shell(request, book_id))
    if request.method == "GET":  # a link checker's HEAD is no shopper
        book_view_record(book_id=book_id)
    return shell_response(request, shell)


def _book_detail_shell(request, book_id: int) -> Shell:
    book = selectors.book_get_active(book_id=book_id)
    return shell_render(
        request,
        "catalog/book_detail.html",
        {
            "book": book,
            "genre_path": selectors.genre_path(book.genre) if book.genre else [],
            "related": selectors.book_related(book=book),
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


@login_required
@require_safe
def notify_me(request):
    """The titles the shopper waits for ("Notify me"), each with a button to stop waiting."""
    page = Paginator(
        selectors.prebooking_waiting_list_for_user(user=request.user), NOTIFY_ME_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "catalog/notify_me.html", {"page_obj": page, "prebookings": page.object_list})


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

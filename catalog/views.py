"""Shopper catalog pages: the searchable, filterable book list, the book page (reviews, wishlist toggle,
"notify me" for sold-out titles) and the wishlist page.

Filtering and sorting are `BookFilter`'s (the same one the API uses). Every write is a POST with CSRF
protection that calls the same `catalog.services` function as the API and redirects with a message; a
refused write changes nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe

from core.errors import BusinessError, Duplicate, NotFound
from core.redirects import safe_next_url

from . import selectors, services
from .exceptions import NotReviewOwner
from .filters import BookFilter
from .forms import ReviewForm
from .models import Book
from .pagination import BookPaginator

BOOKS_PER_PAGE = 20
REVIEWS_PER_PAGE = 10
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
    try:
        book = selectors.book_get(book_id=book_id)
    except Book.DoesNotExist:
        raise Http404("No such book in the catalog.") from None
    user = request.user
    reviews = Paginator(selectors.review_list_for_book(book_id=book.pk), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    standing = selectors.reviewer_standing(user=user, book_id=book.pk)
    own_review = standing.own_review
    return render(
        request,
        "catalog/book_detail.html",
        {
            "book": book,
            "genre_path": selectors.genre_path(book.genre) if book.genre else [],
            "reviews_page": reviews,
            "reviews": reviews.object_list,
            "standing": standing,
            "review_form": ReviewForm() if standing.can_review else None,
            "edit_form": (
                ReviewForm(initial={"rating": own_review.rating, "text": own_review.text})
                if own_review
                else None
            ),
            "on_wishlist": selectors.wishlist_contains(user=user, book_id=book.pk),
            "waiting_prebooking": selectors.prebooking_waiting_for(user=user, book_id=book.pk),
        },
    )


# ---- Writes from the book page and the wishlist page ---------------------------------------------


def _back(request, book_id: int | None = None) -> str:
    """Where a write sends the shopper afterwards: the page its form was on (a safe `next`), else the
    book's page, else the catalog."""
    if safe := safe_next_url(request):
        return safe
    return reverse("catalog:book_detail", args=[book_id]) if book_id else reverse("catalog:home")


def _customer_post(view):
    """A POST-only write for logged-in customers. An anonymous shopper is sent to log in and then back to
    the page the form was on, never to this POST-only address."""

    @require_POST
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(_back(request, kwargs.get("book_id")))
        return view(request, *args, **kwargs)

    return wrapper


def _form_problems(form) -> str:
    return " ".join(f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


@_customer_post
def review_create(request, book_id: int):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Your review was not posted. {_form_problems(form)}")
        return redirect(_back(request, book_id))
    try:
        services.review_create(user=request.user, book_id=book_id, **form.cleaned_data)
    except NotFound:
        raise Http404("No such book in the catalog.") from None
    except BusinessError as exc:
        messages.error(request, f"Your review was not posted. {exc.detail}")
    else:
        messages.success(request, "Thank you! Your review has been published.")
    return redirect(_back(request, book_id))


@_customer_post
def review_update(request, review_id: int):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Your review was not changed. {_form_problems(form)}")
        return redirect(_back(request))
    try:
        review = services.review_update(actor=request.user, review_id=review_id, **form.cleaned_data)
    except NotFound as exc:  # missing, or deleted already
        raise Http404(exc.detail) from None
    except NotReviewOwner as exc:  # someone else's: visible to all, so forbidden rather than hidden
        raise PermissionDenied(exc.detail) from None
    messages.success(request, "Your review has been updated.")
    return redirect(_back(request, review.book_id))


@_customer_post
def review_delete(request, review_id: int):
    try:
        services.review_delete(actor=request.user, review_id=review_id)
    except NotFound as exc:  # missing, or deleted already
        raise Http404(exc.detail) from None
    except NotReviewOwner as exc:  # someone else's: visible to all, so forbidden rather than hidden
        raise PermissionDenied(exc.detail) from None
    messages.success(request, "Your review has been deleted.")
    return redirect(_back(request))


@login_required
@require_safe
def wishlist(request):
    page = Paginator(selectors.wishlist_for_user(user=request.user), WISHLIST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/wishlist.html", {"page_obj": page, "items": page.object_list})


@_customer_post
def wishlist_add(request, book_id: int):
    try:
        item = services.wishlist_add(user=request.user, book_id=book_id)
    except NotFound as exc:
        messages.error(request, exc.detail)
        return redirect(safe_next_url(request) or "catalog:home")
    except Duplicate as exc:
        messages.info(request, exc.detail)
    else:
        messages.success(
            request,
            format_html(
                'Added “{}” to your wishlist. <a href="{}">View your wishlist</a>',
                item.book.title,
                reverse("catalog:wishlist"),
            ),
        )
    return redirect(_back(request, book_id))


@_customer_post
def wishlist_remove(request, book_id: int):
    try:
        services.wishlist_remove(user=request.user, book_id=book_id)
    except NotFound as exc:
        messages.info(request, exc.detail)
    else:
        messages.success(request, "The book was removed from your wishlist.")
    return redirect(_back(request, book_id))


@_customer_post
def prebooking_create(request, book_id: int):
    try:
        prebooking = services.prebooking_create(user=request.user, book_id=book_id)
    except NotFound as exc:
        messages.error(request, exc.detail)
        return redirect(safe_next_url(request) or "catalog:home")
    except Duplicate as exc:
        messages.info(request, exc.detail)
    except BusinessError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"We'll email you when “{prebooking.book.title}” is back in stock.")
    return redirect(_back(request, book_id))


@_customer_post
def prebooking_cancel(request, prebooking_id: int):
    try:
        services.prebooking_cancel(user=request.user, prebooking_id=prebooking_id)
    except NotFound:
        raise Http404("No such pre-booking.") from None
    except BusinessError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Done: we will not email you when that title is back in stock.")
    return redirect(_back(request))

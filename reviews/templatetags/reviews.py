"""`{% book_review_standing book %}` and `{% book_review_list book %}`: the book page's reviews section,
rendered by the app that owns reviews.

The catalog's book page includes it by name only, so the catalog never imports this app: the page is
composed in its template, as Django's own comments framework composes pages.
"""

from django import template
from django.core.paginator import Paginator

from reviews import selectors
from reviews.forms import ReviewForm

register = template.Library()

REVIEWS_PER_PAGE = 10


@register.inclusion_tag("reviews/_review_standing.html", takes_context=True)
def book_review_standing(context, book) -> dict:
    """What this shopper may do with the book's reviews: write one, or edit or delete their own. The
    personal part of the reviews section (the book page keeps the rest for everyone)."""
    request = context["request"]
    standing = selectors.reviewer_standing(user=request.user, book_id=book.pk)
    own_review = standing.own_review
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "book": book,
        "standing": standing,
        "review_form": ReviewForm() if standing.can_review else None,
        "edit_form": (
            ReviewForm(initial={"rating": own_review.rating, "text": own_review.text}) if own_review else None
        ),
    }


class _CountedPaginator(Paginator):
    """A Paginator told its count, instead of counting."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # Paginator.count is a cached property: this is its value


@register.inclusion_tag("reviews/_review_list.html", takes_context=True)
def book_review_list(context, book) -> dict:
    """The visible reviews, newest first, a page at a time (`?page=`): the same for every visitor. They
    are counted by the book's `review_count`, which the review services keep with every change (the
    rating above the list shows it too), so a book without reviews costs no query, nor a queryset built
    and compiled to find nothing (a sixth of such a book page's rendering)."""
    request = context["request"]
    listed = selectors.review_list_for_book(book_id=book.pk) if book.review_count else []
    paginator = _CountedPaginator(listed, REVIEWS_PER_PAGE, count=book.review_count)
    reviews = paginator.get_page(request.GET.get("page"))
    return {"request": request, "reviews_page": reviews, "reviews": reviews.object_list}

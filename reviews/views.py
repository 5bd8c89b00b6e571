"""Review writes from the book page: post, edit and delete one's review. Each is a `page_action` calling
the same `reviews.services` function as the API; a refusal is reported by `core.page_errors`."""

from django.contrib import messages
from django.shortcuts import redirect

from catalog.views import book_page_or_catalog
from core.forms import form_cleaned_or_refuse
from core.page_errors import action_back, page_action
from core.redirects import safe_next_url

from . import services
from .forms import ReviewForm


@page_action(back=book_page_or_catalog, failed="Your review was not posted.", login_required=True)
def review_create(request, book_id: int):
    review = form_cleaned_or_refuse(ReviewForm(request.POST))
    services.review_create(user=request.user, book_id=book_id, **review)
    messages.success(request, "Thank you! Your review has been published.")
    return redirect(action_back(request))


@page_action(back="catalog:home", failed="Your review was not changed.", login_required=True)
def review_update(request, review_id: int):
    changes = form_cleaned_or_refuse(ReviewForm(request.POST))
    review = services.review_update(actor=request.user, review_id=review_id, **changes)
    messages.success(request, "Your review has been updated.")
    return redirect(safe_next_url(request) or book_page_or_catalog(request, review.book_id))


@page_action(back="catalog:home", failed="Your review was not deleted.", login_required=True)
def review_delete(request, review_id: int):
    services.review_delete(actor=request.user, review_id=review_id)
    messages.success(request, "Your review has been deleted.")
    return redirect(action_back(request))

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from core.errors import BusinessError

from . import services
from .models import Review


class ReviewVisibilityFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "visible"

    def lookups(self, request, model_admin):
        return [("yes", "Visible"), ("no", "Removed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Moderation: read reviews, remove or restore them through the same services as the API, so the
    book's rating always follows."""

    list_display = [
        "id",
        "rating",
        "excerpt",
        "book",
        "author",
        "verified_purchase",
        "created_at",
        "is_visible",
    ]
    list_filter = [ReviewVisibilityFilter, "rating", "verified_purchase", "created_at"]
    list_select_related = ["book", "user"]
    search_fields = ["=id", "book__title", "user__email", "user__username"]
    readonly_fields = [
        "book",
        "user",
        "rating",
        "text",
        "verified_purchase",
        "created_at",
        "updated_at",
        "deleted_at",
        "deleted_by",
    ]
    actions = ["remove_reviews", "restore_reviews"]
    change_form_template = "admin/reviews/review/change_form.html"
    EXCERPT_LENGTH = 80

    def has_add_permission(self, request):
        return False  # reviews come from buyers

    def has_delete_permission(self, request, obj=None):
        return False  # remove (soft delete) instead: it keeps the row and updates the rating

    @admin.display(boolean=True, description="visible")
    def is_visible(self, review):
        return review.deleted_at is None

    @admin.display(description="text")
    def excerpt(self, review):
        return truncatechars(" ".join(review.text.split()), self.EXCERPT_LENGTH) or "—"

    @admin.display(description="author", ordering="user__email")
    def author(self, review):
        return review.user

    def get_urls(self):
        return [
            path(
                "<int:review_id>/remove/",
                self.admin_site.admin_view(self.remove_view),
                name="reviews_review_remove",
            ),
            path(
                "<int:review_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="reviews_review_restore",
            ),
            *super().get_urls(),
        ]

    def _moderate(self, request, review_id: int, action, done: str):
        """The review page's Remove and Restore buttons: the same services as the list's actions, and
        their refusals reported the same way."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        self._apply(request, Review.objects.filter(pk=review_id), action, done)
        return redirect(reverse("admin:reviews_review_change", args=[review_id]))

    @method_decorator(require_POST)
    def remove_view(self, request, review_id: int):
        return self._moderate(
            request,
            review_id,
            lambda review_id: services.review_delete(actor=request.user, review_id=review_id),
            "removed (no longer in the book's rating)",
        )

    @method_decorator(require_POST)
    def restore_view(self, request, review_id: int):
        return self._moderate(
            request, review_id, lambda review_id: services.review_restore(review_id=review_id), "restored"
        )

    def _apply(self, request, queryset, action, done):
        count = 0
        for review_id in queryset.values_list("pk", flat=True):
            try:
                action(review_id)
                count += 1
            except BusinessError as exc:
                self.message_user(request, f"Review {review_id}: {exc.detail}", messages.WARNING)
        if count:
            self.message_user(request, f"{count} review(s) {done}.", messages.SUCCESS)

    @admin.action(description="Remove selected reviews (soft delete)")
    def remove_reviews(self, request, queryset):
        self._apply(
            request,
            queryset.filter(deleted_at__isnull=True),
            lambda review_id: services.review_delete(actor=request.user, review_id=review_id),
            "removed",
        )

    @admin.action(description="Restore selected reviews")
    def restore_reviews(self, request, queryset):
        self._apply(
            request,
            queryset.filter(deleted_at__isnull=False),
            lambda review_id: services.review_restore(review_id=review_id),
            "restored",
        )

from django.contrib import admin, messages

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

    list_display = ["id", "book", "user", "rating", "verified_purchase", "created_at", "is_visible"]
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

    def has_add_permission(self, request):
        return False  # reviews come from buyers

    def has_delete_permission(self, request, obj=None):
        return False  # remove (soft delete) instead: it keeps the row and updates the rating

    @admin.display(boolean=True, description="visible")
    def is_visible(self, review):
        return review.deleted_at is None

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

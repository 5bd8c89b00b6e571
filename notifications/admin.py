"""The email outbox for staff, read-only: every notification, and the failed ones in their own list,
with "Retry now" (notifications.services.notifications_retry) for those that can be sent again."""

from django.contrib import admin, messages

from core.admin_tools import ReadOnlyAdmin

from . import services
from .models import EmailNotification, FailedEmailNotification, NotificationStatus


@admin.register(EmailNotification)
class EmailNotificationAdmin(ReadOnlyAdmin):
    list_display = ["key", "to", "subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["status", "template"]
    search_fields = ["key", "to"]
    date_hierarchy = "created_at"
    fields = [
        "key",
        "to",
        "template",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "subject",
        "text",
        "html",
    ]
    actions = ["retry_now"]

    def has_retry_permission(self, request):
        return request.user.has_perm("notifications.change_emailnotification")

    @admin.action(description="Retry now (failed or waiting notifications)", permissions=["retry"])
    def retry_now(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        retried = services.notifications_retry(notification_ids=selected)
        self.message_user(
            request,
            f"{retried} notification(s) queued for sending; refresh to see the outcome.",
            messages.SUCCESS if retried else messages.WARNING,
        )
        if retried < len(selected):
            self.message_user(
                request, f"{len(selected) - retried} already sent or being sent: left alone.", messages.INFO
            )


@admin.register(FailedEmailNotification)
class FailedEmailNotificationAdmin(EmailNotificationAdmin):
    list_display = ["key", "to", "subject", "attempts", "created_at", "last_error"]
    list_filter = ["template"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=NotificationStatus.FAILED)

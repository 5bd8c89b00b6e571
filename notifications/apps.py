from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The shop's email to customers and staff: every event's message, sent after its transaction commits."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

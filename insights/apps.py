from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """What shoppers do, counted without a database write per request and without personal data: book
    page views, searches, cart adds and ordered lines, per day (see insights/services.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"

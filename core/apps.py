from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app shares (errors, transactions, pagination, schema rules, template tags); no models."""

    name = "core"

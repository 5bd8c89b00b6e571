from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from . import (
            receivers,  # noqa: F401 - connects the login receiver
            schema,  # noqa: F401 - registers the OpenAPI description of our JWT scheme
        )

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CheckoutConfig(AppConfig):
    """The layer above the apps: every flow that spans several of them, and the screens that show them.

    It has no models of its own; see checkout/services.py.
    """

    name = "checkout"


class BookstoreAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the back office's site (dashboard and reports) as `admin.site`; it replaces
    "django.contrib.admin" in INSTALLED_APPS. Not this module's default config: that is CheckoutConfig."""

    default = False
    default_site = "checkout.admin_site.BookstoreAdminSite"

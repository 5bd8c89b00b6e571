from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    """The layer above the apps: every flow that spans several of them, and the screens that show them.

    It has no models of its own; see checkout/services.py.
    """

    name = "checkout"

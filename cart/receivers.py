"""A login brings the shopper's anonymous cart along.

This is the project's one signal receiver, and on purpose: Django's `user_logged_in` is the single door
every way of logging in passes through (the login and registration pages, social sign-in, the admin), so
receiving it here keeps the accounts app free of any knowledge of carts.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .session_cart import session_cart_merge


@receiver(user_logged_in, dispatch_uid="cart.session_cart_merge_on_login")
def session_cart_merge_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_cart_merge(request)

"""A browser login becomes a login the user can see and end (accounts.login_sessions).

Like the cart's receiver, and for the same reason: Django's `user_logged_in` is the one door every way
of logging in a browser passes through (the login and registration pages, social sign-in, the admin),
and it fires right after Django gives the session its new key. API logins start their token family in
the login view instead; they have no session.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .login_sessions import web_session_start


@receiver(user_logged_in, dispatch_uid="accounts.web_session_start_on_login")
def web_session_start_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        web_session_start(request, user=user)

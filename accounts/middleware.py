"""Keeps a browser's Django session and its `LoginSession` row in step (see accounts.login_sessions)."""

from .login_sessions import WEB_SESSION_KEY, web_session_keep


class LoginSessionMiddleware:
    """After each request of a logged-in browser: follow a new session key (Django changes it on a
    password change), and mark the login used at most every few minutes. Costs no query unless one of
    those is due. Place after SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and WEB_SESSION_KEY in session:
            web_session_keep(request)
        return response

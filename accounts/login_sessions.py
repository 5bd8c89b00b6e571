"""The logins a user can see and end: API token families and browser sessions (`LoginSession`).

A password login through the API starts a token family (accounts.tokens). A browser that logs in on the
pages (login, registration, the admin, any door that calls Django's `login()`) gets its row as it logs
in (accounts.receivers); the session itself keeps the row's id, its Django session's key and when it
was last marked used, so `LoginSessionMiddleware` costs an ordinary page no query.

Revoking a login refuses its tokens at once (their check reads the row), and deletes a browser's Django
session, so that browser is logged out on its next request. `last_used_at` costs no write per request:
it moves at most every TOUCH_INTERVAL (and on each refresh).
"""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from core.errors import NotFound

from .login_throttle import client_ip
from .models import LoginSession
from .tokens import SESSION_CLAIM, InvalidToken, refresh_token_session

WEB_SESSION_KEY = "login_session"  # [login id, Django session key, last marked used (epoch seconds)]
TOUCH_INTERVAL = timedelta(minutes=5)


def current_login_session_id(request) -> int | None:
    """The login making this request: its access token's family, or this browser's session."""
    token = getattr(request, "auth", None)
    if token is not None and hasattr(token, "get"):
        return token.get(SESSION_CLAIM)
    session = getattr(request, "session", None)
    web = session.get(WEB_SESSION_KEY) if session is not None else None
    return web[0] if web else None


def login_sessions_active(*, user) -> QuerySet:
    return LoginSession.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())


def _end(logins: QuerySet) -> int:
    """Revoke these logins; their browsers' Django sessions are deleted with them."""
    ending = list(logins.filter(revoked_at__isnull=True).values_list("pk", "session_key"))
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for _, session_key in ending:
        if session_key:
            store.delete(session_key)
    return LoginSession.objects.filter(pk__in=[pk for pk, _ in ending]).update(revoked_at=timezone.now())


def login_session_revoke(*, user, session_id: int) -> None:
    """End one of the user's own logins (another user's, or one already ended, is not found)."""
    if not _end(login_sessions_active(user=user).filter(pk=session_id)):
        raise NotFound("No such login.")


def login_sessions_revoke(*, user, keep: int | None = None) -> int:
    """End every login of the user but `keep` (the one asking, when it should stay logged in)."""
    return _end(LoginSession.objects.filter(user=user).exclude(pk=keep))


def login_sessions_forget(*, user) -> None:
    """End every login of the user and delete their rows (addresses and browsers are personal data)."""
    login_sessions_revoke(user=user)
    LoginSession.objects.filter(user=user).delete()


def login_logout(*, user, refresh: str, current_session_id: int | None = None) -> None:
    """Logout through the API: end the login the refresh token belongs to, and the one of the access
    token asking if that is another, so both their access and refresh tokens are refused from now on."""
    try:
        session_id = refresh_token_session(raw=refresh, user=user)
    except InvalidToken as exc:
        raise ValidationError({"refresh": [str(exc)]}) from exc
    active = login_sessions_active(user=user)
    if not active.filter(pk=session_id).exists():
        raise ValidationError({"refresh": ["This login has already ended."]})
    _end(active.filter(pk__in={session_id, current_session_id} - {None}))


def login_session_touch(session: LoginSession) -> None:
    """Record that an API login was used, at most once per TOUCH_INTERVAL."""
    now = timezone.now()
    if now - session.last_used_at >= TOUCH_INTERVAL:
        LoginSession.objects.filter(pk=session.pk).update(last_used_at=now)


# --- Browser sessions ------------------------------------------------------------------------------


def _web_expiry(now):
    return now + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def web_login(request, user) -> None:
    """Log this browser in, the one way every page does (password, registration, social sign-in): the
    cart app's login receiver then brings along the anonymous cart, and accounts.receivers lists the
    login with the user's others."""
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")


def web_logout(request) -> None:
    """This browser logs out: its login leaves the list, then its session ends."""
    web_session_end(request)
    auth_logout(request)


def web_session_start(request, *, user) -> None:
    """Make the login of a browser that has just logged in visible (and revocable)."""
    now = timezone.now()
    if not request.session.session_key:
        request.session.save()
    login = LoginSession.objects.create(
        user=user,
        kind=LoginSession.Kind.WEB,
        user_agent=request.headers.get("User-Agent", "")[:255],
        ip=client_ip(request) or None,
        session_key=request.session.session_key,
        created_at=now,
        last_used_at=now,
        expires_at=_web_expiry(now),
    )
    request.session[WEB_SESSION_KEY] = [login.pk, login.session_key, int(time.time())]


def web_session_keep(request) -> None:
    """After a request of a logged-in browser: follow its Django session to a new key (Django changes
    it on login and on a password change) and mark it used, each only when due."""
    login_id, session_key, marked = request.session[WEB_SESSION_KEY]
    now = time.time()
    changes = {}
    if request.session.session_key and request.session.session_key != session_key:
        changes["session_key"] = session_key = request.session.session_key
    if now - marked >= TOUCH_INTERVAL.total_seconds():
        marked = int(now)
        changes["last_used_at"] = timezone.now()
        changes["expires_at"] = _web_expiry(changes["last_used_at"])
    if changes:
        LoginSession.objects.filter(pk=login_id).update(**changes)
        request.session[WEB_SESSION_KEY] = [login_id, session_key, marked]


def web_session_end(request) -> None:
    """This browser logs out: its login leaves the list."""
    login_id = current_login_session_id(request)
    if login_id is not None:
        LoginSession.objects.filter(pk=login_id, revoked_at__isnull=True).update(revoked_at=timezone.now())

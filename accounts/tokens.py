"""JWTs as login sessions: issue, rotation with reuse detection, and what an access token is worth.

Every token pair belongs to a `LoginSession` (its family) and carries the session's id in the `sid`
claim; access tokens copy it from their refresh token. simplejwt signs, dates and checks the tokens;
the session row decides whether they still count:

- An access token is accepted only while its session is not revoked: the row is read with the user, in
  the one query authentication makes anyway (so logout, "log out other devices", a password change or
  a closed account refuse it at once, on every worker, without a cache to go stale).
- The session holds the id (`jti`) of the one refresh token of the family that may still be used, and
  the family's count of refresh tokens, which each token carries as its number (`rot`). Rotation swaps
  them under the session's row lock, so two refreshes with one token cannot both succeed; a refresh
  token numbered below the current one was already rotated, which means a copy is in other hands, and
  revokes the whole family: the thief's tokens and the owner's newer ones alike (401 `token_revoked`).
"""

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from .models import LoginSession

logger = logging.getLogger(__name__)

SESSION_CLAIM = "sid"
ROTATION_CLAIM = "rot"


class InvalidToken(Exception):
    """The token is malformed, forged, expired, of the wrong type, or names no login of an active user."""


class TokenRevoked(Exception):
    """The token's login was ended (logout, revocation, a password change) or its family was revoked
    because an already rotated refresh token came back."""


def _issue(session: LoginSession) -> dict[str, str]:
    """The family's next pair; records its refresh token as the one that may be used next."""
    refresh = RefreshToken.for_user(session.user)
    refresh[SESSION_CLAIM] = session.pk
    session.rotations += 1
    refresh[ROTATION_CLAIM] = session.rotations
    session.refresh_jti = refresh[api_settings.JTI_CLAIM]
    session.expires_at = datetime.fromtimestamp(refresh["exp"], tz=UTC)
    pair = {"access": str(refresh.access_token), "refresh": str(refresh)}
    session.save(update_fields=["rotations", "refresh_jti", "expires_at", "last_used_at"])
    return pair


@transaction.atomic
def token_pair_for_user(user, *, user_agent: str = "", ip: str | None = None) -> dict[str, str]:
    """Start an API login (a new token family) for a user whose credentials were checked."""
    now = timezone.now()
    session = LoginSession.objects.create(
        user=user,
        kind=LoginSession.Kind.API,
        user_agent=user_agent[:255],
        ip=ip or None,
        created_at=now,
        last_used_at=now,
        expires_at=now + api_settings.REFRESH_TOKEN_LIFETIME,
    )
    return _issue(session)


def _login_of(token) -> tuple[int, int]:
    """The (session id, user id) a genuine token names."""
    session_id, user_id = token.get(SESSION_CLAIM), str(token.get(api_settings.USER_ID_CLAIM, ""))
    if not isinstance(session_id, int) or isinstance(session_id, bool) or not user_id.isdigit():
        raise InvalidToken("Token belongs to no login.")
    return session_id, int(user_id)


def _parse_refresh(raw: str) -> RefreshToken:
    try:
        token = RefreshToken(raw)  # signature, type and expiry
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    _login_of(token)
    return token


def refresh_token_rotate(*, raw: str) -> dict[str, str]:
    """A new pair of the same family for a current refresh token; the presented one is used up."""
    token = _parse_refresh(raw)
    pair = _rotate(token)
    if pair is None:
        raise TokenRevoked("This refresh token was already used: every token of its login is revoked.")
    return pair


@transaction.atomic
def _rotate(token: RefreshToken) -> dict[str, str] | None:
    """The new pair, or None once the reused token's family is revoked (committed, then refused)."""
    session_id, user_id = _login_of(token)
    session = (
        LoginSession.objects.select_for_update()
        .filter(pk=session_id, user_id=user_id, kind=LoginSession.Kind.API)
        .first()
    )
    if session is None:
        raise InvalidToken("Token belongs to no login.")
    if session.revoked_at is not None:
        raise TokenRevoked("This login has ended.")
    if not session.user.is_active:
        raise InvalidToken("No active account found for the given token.")
    number = token.get(ROTATION_CLAIM)
    if isinstance(number, int) and number < session.rotations:
        session.revoked_at = timezone.now()
        session.save(update_fields=["revoked_at"])
        logger.warning(
            "login session %s of user %s: refresh token %s of %s came back; its family is revoked",
            session.pk,
            session.user_id,
            number,
            session.rotations,
        )
        return None
    if number != session.rotations or token[api_settings.JTI_CLAIM] != session.refresh_jti:
        raise InvalidToken("Token was never issued.")
    session.last_used_at = timezone.now()
    return _issue(session)


def refresh_token_session(*, raw: str, user) -> int:
    """The id of the caller's own login a refresh token belongs to (to log it out)."""
    session_id, user_id = _login_of(_parse_refresh(raw))
    if user_id != user.pk:
        raise InvalidToken("This token belongs to another account.")
    return session_id


def access_token_session(validated_token) -> LoginSession:
    """The live login an access token belongs to, with its user loaded (one query)."""
    session_id, user_id = _login_of(validated_token)
    session = (
        LoginSession.objects.select_related("user")
        .filter(pk=session_id, user_id=user_id, revoked_at__isnull=True)
        .first()
    )
    if session is None:
        raise TokenRevoked("This login has ended.")
    return session

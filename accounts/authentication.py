from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from .login_sessions import login_session_touch
from .tokens import InvalidToken, TokenRevoked, access_token_session


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt's bearer authentication, plus: a token counts only while its login does (accounts.tokens)."""

    def get_user(self, validated_token):
        try:
            session = access_token_session(validated_token)
        except TokenRevoked as exc:
            raise AuthenticationFailed(str(exc), code="token_revoked") from exc
        except InvalidToken as exc:
            raise AuthenticationFailed(str(exc), code="token_not_valid") from exc
        if not session.user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
        login_session_touch(session)
        return session.user

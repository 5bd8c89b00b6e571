from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from .tokens import token_is_current


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt's bearer authentication, plus: tokens issued before a revocation stay dead."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if not token_is_current(validated_token, user):
            raise AuthenticationFailed("Token has been revoked.", code="token_not_valid")
        return user

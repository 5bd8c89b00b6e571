"""JWT issue, rotation and revocation on top of simplejwt's blacklist tables.

Rotation locks the outstanding-token row, so two concurrent refreshes with the same token cannot both
succeed (simplejwt's own view would hand out two live tokens).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

User = get_user_model()


GENERATION_CLAIM = "gen"


class ShopRefreshToken(RefreshToken):
    """A refresh token (and the access tokens made from it) stamped with the user's token generation."""

    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[GENERATION_CLAIM] = user.token_generation
        return token


def token_is_current(token, user) -> bool:
    return token.get(GENERATION_CLAIM) == user.token_generation


class InvalidToken(Exception):
    """The refresh token is malformed, expired, revoked or belongs to nobody who may log in."""


def token_pair_for_user(user) -> dict[str, str]:
    refresh = ShopRefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def _parse_refresh(raw: str) -> ShopRefreshToken:
    try:
        return ShopRefreshToken(raw)  # checks signature, type, expiry and the blacklist
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc


def _user_of(token: ShopRefreshToken):
    """The token's user, row-locked so a deactivation cannot slip in between check and issue."""
    user = (
        User.objects.select_for_update()
        .filter(**{api_settings.USER_ID_FIELD: token.get(api_settings.USER_ID_CLAIM)})
        .first()
    )
    if user is None or not user.is_active or not token_is_current(token, user):
        raise InvalidToken("No active account found for the given token.")
    claim = api_settings.REVOKE_TOKEN_CLAIM
    if token.get(claim) != get_md5_hash_password(user.password):
        raise InvalidToken("The password has changed since this token was issued.")
    return user


@transaction.atomic
def refresh_token_rotate(*, raw: str) -> dict[str, str]:
    token = _parse_refresh(raw)
    user = _user_of(token)
    outstanding = OutstandingToken.objects.select_for_update().filter(jti=token["jti"]).first()
    if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
        raise InvalidToken("Token is blacklisted")
    BlacklistedToken.objects.create(token=outstanding)
    return token_pair_for_user(user)


def refresh_token_revoke(*, raw: str, user) -> None:
    token = _parse_refresh(raw)
    if str(token.get(api_settings.USER_ID_CLAIM)) != str(user.pk):
        raise InvalidToken("This token belongs to another account.")
    token.blacklist()


def user_tokens_revoke_all(*, user) -> None:
    """Refuse every token issued so far and blacklist the user's outstanding refresh tokens."""
    User.objects.filter(pk=user.pk).update(token_generation=F("token_generation") + 1)
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )

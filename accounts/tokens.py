"""JWT issue, rotation and revocation on top of simplejwt's blacklist tables.

Rotation locks the outstanding-token row, so two concurrent refreshes with the same token cannot both
succeed (simplejwt's own view would hand out two live tokens).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

User = get_user_model()


class InvalidToken(Exception):
    """The refresh token is malformed, expired, revoked or belongs to nobody who may log in."""


def token_pair_for_user(user) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def _parse_refresh(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)  # checks signature, type, expiry and the blacklist
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc


def _user_of(token: RefreshToken):
    user = User.objects.filter(**{api_settings.USER_ID_FIELD: token.get(api_settings.USER_ID_CLAIM)}).first()
    if user is None or not user.is_active:
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
    """Blacklist every refresh token the user still holds (access tokens die on `is_active`)."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )

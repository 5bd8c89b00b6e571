"""Signing in with Google or GitHub: which account a sign-in opens, the REST clients' code exchange,
and the accounts a user has connected.

django-allauth talks to the providers (accounts/social_providers.py); the rules are the shop's, and the
browser flow (allauth's views, through the adapter) and the API (`social_token_login`) apply the same:

- a provider account already connected opens its shop account;
- otherwise the provider must vouch for the email (Google's `email_verified`; GitHub's primary address,
  verified, from /user/emails): an unverified address opens nothing, so nobody takes over an account
  with an email a provider did not check;
- a verified email of an existing account connects the provider account to it and opens it (and
  counts as verifying the shop account's email);
- a new email creates an account (unique username, no password) and connects it;
- staff accounts never sign in this way (password and admin only), nor do deactivated ones; a closed
  account's connections are forgotten with it (`social_accounts_forget`), so no sign-in reaches it
  again (the same provider account would start a new one).

A provider without both credentials in settings does not exist as far as the shop is concerned: no
button, and its pages and endpoint answer 404.
"""

from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from requests import RequestException

from core.errors import Forbidden, NotFound, ServiceBusy

from .exceptions import EmailNotVerified, LastSignInMethod, ProviderUnavailable, SocialCodeInvalid
from .selectors import social_account_list

User = get_user_model()

PROVIDERS = {"google": "Google", "github": "GitHub"}


# --- Providers -------------------------------------------------------------------------------------


def social_providers_configured() -> list[tuple[str, str]]:
    """(id, name) of the providers the shop has credentials for, in button order."""
    return [(pid, name) for pid, name in PROVIDERS.items() if _configured(pid)]


def _configured(provider_id: str) -> bool:
    apps = settings.SOCIALACCOUNT_PROVIDERS.get(provider_id, {}).get("APPS") or []
    return any(app.get("client_id") and app.get("secret") for app in apps)


def social_provider_check(provider_id: str) -> None:
    """NotFound unless the shop offers this provider."""
    if provider_id not in PROVIDERS or not _configured(provider_id):
        raise NotFound("No such sign-in provider.")


def social_sign_in_origins() -> list[str]:
    """The origins the sign-in buttons' forms are redirected to (the pages' CSP must let them)."""
    authorize = (
        urlsplit(settings.SOCIALACCOUNT_PROVIDERS[provider_id]["AUTHORIZE_URL"])
        for provider_id, _ in social_providers_configured()
    )
    return [f"{url.scheme}://{url.netloc}" for url in authorize]


# --- Which account a sign-in opens -----------------------------------------------------------------


def _check_may_sign_in(user) -> None:
    if user.is_staff or user.is_superuser:
        raise Forbidden("Staff accounts sign in with their email and password only.")
    if not user.is_active:
        raise Forbidden("This account is deactivated.")


def _verified_email(sociallogin) -> str:
    """The primary address the provider vouches for."""
    addresses = sociallogin.email_addresses
    primary = next((address for address in addresses if address.primary), addresses[0] if addresses else None)
    name = PROVIDERS.get(sociallogin.account.provider, "The provider")
    if primary is None or not primary.email:
        raise EmailNotVerified(f"{name} did not share an email address with the shop.")
    if not primary.verified:
        raise EmailNotVerified(
            f"{name} has not verified your email address {primary.email}. Verify it there, or log in with "
            "your password."
        )
    return User.objects.normalize_email(primary.email)


def _user_create(sociallogin, email: str):
    profile = sociallogin.user  # allauth's unsaved user, filled from the provider's profile
    username = get_account_adapter().generate_unique_username(
        [profile.username, email.partition("@")[0], profile.first_name, "reader"]
    )
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username,
                email=email,
                password=None,  # unusable: this account signs in through its provider
                first_name=profile.first_name,
                last_name=profile.last_name,
                email_verified=True,
            )
    except IntegrityError as exc:  # someone took the email or username a moment ago
        raise ServiceBusy("Your account could not be created just now. Please try again.") from exc


@transaction.atomic
def social_login_resolve(*, sociallogin):
    """The shop account this provider sign-in opens (see the rules above), with the provider account
    connected to it; `sociallogin.lookup()` has run. Refusals are Forbidden / EmailNotVerified."""
    if sociallogin.is_existing:
        _check_may_sign_in(sociallogin.user)
        return sociallogin.user
    email = _verified_email(sociallogin)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = _user_create(sociallogin, email)
    else:
        _check_may_sign_in(user)
        if not user.email_verified:
            User.objects.filter(pk=user.pk).update(email_verified=True, updated_at=timezone.now())
            user.email_verified = True
    sociallogin.user = user
    sociallogin.account.user = user
    try:
        with transaction.atomic():
            sociallogin.account.save()
    except IntegrityError as exc:  # the same provider account, connected by a sign-in a moment ago
        raise ServiceBusy("Your sign-in could not be completed just now. Please try again.") from exc
    return user


def social_token_login(*, request, provider_id: str, code: str, redirect_uri: str, code_verifier: str = ""):
    """REST clients: exchange the authorization code their user brought back from the provider (with
    the PKCE verifier, when they used one) and return the shop account it opens.

    `request` is Django's (allauth reads it); `redirect_uri` must be the one the client sent the user to
    the provider with, which the provider checks."""
    social_provider_check(provider_id)
    provider = get_adapter(request).get_provider(request, provider_id)
    adapter = provider.get_oauth2_adapter(request)
    client = adapter.get_client(request, provider.app)
    client.callback_url = redirect_uri
    try:
        response = client.get_access_token(code, pkce_code_verifier=code_verifier or None)
        adapter.did_fetch_access_token = True
        token = adapter.parse_token(response)
        sociallogin = adapter.complete_login(request, provider.app, token, response=response)
    except (OAuth2Error, ProviderException, PermissionDenied) as exc:
        raise SocialCodeInvalid() from exc
    except (RequestException, KeyError, ValueError) as exc:  # down, or answering what it should not
        raise ProviderUnavailable(f"{provider.name} is not answering right now. Please try again.") from exc
    sociallogin.token = token
    sociallogin.lookup()
    return social_login_resolve(sociallogin=sociallogin)


# --- Connected accounts ----------------------------------------------------------------------------


def social_account_name(account) -> str:
    """The account at the provider, as it was when last used: Google's email, GitHub's login."""
    data = account.extra_data or {}
    return str(data.get("email") or data.get("login") or "")


@transaction.atomic
def social_account_unlink(*, user, account_id: int) -> None:
    """Disconnect one of the user's provider accounts, unless it is their last way to sign in (no
    usable password and no other provider): LastSignInMethod (409)."""
    locked = User.objects.select_for_update().get(pk=user.pk)  # two disconnects in a row, not at once
    accounts = list(social_account_list(user=locked))
    account = next((account for account in accounts if account.pk == account_id), None)
    if account is None:
        raise NotFound("No such connected account.")
    if len(accounts) == 1 and not locked.has_usable_password():
        raise LastSignInMethod()
    account.delete()


def social_accounts_forget(*, user) -> None:
    """A closed account's connections go with its other personal data."""
    SocialAccount.objects.filter(user=user).delete()

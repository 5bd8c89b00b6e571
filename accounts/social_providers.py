"""The shop's hooks into django-allauth: Google and GitHub with endpoints from settings, and the adapters
that hand allauth's browser flow to the shop's own rules and login.

allauth does the OAuth2/OpenID Connect work (authorize redirect, state, PKCE, code exchange, reading the
provider's profile and emails). What it must not decide is ours:

- which account a sign-in opens: `SocialAccountAdapter.pre_social_login` runs `accounts.social`'s rules
  (the REST endpoint runs the same), and a refusal sends the shopper back to the login page with its
  sentence;
- how a browser logs in: `AccountAdapter.login` is the password login's own
  (`login_sessions.web_login`), so the cart and login-session receivers run as for any login.

allauth reads Google's and GitHub's endpoints once, at import; these subclasses read them from
`SOCIALACCOUNT_PROVIDERS` on every request, so tests point them at a local provider.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.base import AuthError
from allauth.socialaccount.providers.github.provider import GitHubProvider as AllauthGitHubProvider
from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter
from allauth.socialaccount.providers.google.provider import GoogleProvider as AllauthGoogleProvider
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from requests import RequestException

from core.errors import BusinessError

from . import login_sessions, social


def _endpoint(provider_id: str, name: str) -> str:
    return settings.SOCIALACCOUNT_PROVIDERS[provider_id][name]


def _setting_property(name: str) -> property:
    return property(lambda adapter: _endpoint(adapter.provider_id, name))


class GoogleAdapter(GoogleOAuth2Adapter):
    authorize_url = _setting_property("AUTHORIZE_URL")
    access_token_url = _setting_property("ACCESS_TOKEN_URL")
    identity_url = _setting_property("IDENTITY_URL")

    def _decode_id_token(self, app, id_token):
        """As allauth's, with the issuer and keys from settings. The ID token came straight from the
        token endpoint over TLS, so OpenID Connect lets its signature go unchecked (allauth's rule)."""
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=_endpoint("google", "CERTS_URL"),
            issuer=_endpoint("google", "ID_TOKEN_ISSUER"),
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_pem_x509_certificate,
            verify_signature=not self.did_fetch_access_token,
        )


class GitHubAdapter(GitHubOAuth2Adapter):
    authorize_url = _setting_property("AUTHORIZE_URL")
    access_token_url = _setting_property("ACCESS_TOKEN_URL")
    profile_url = _setting_property("PROFILE_URL")
    emails_url = _setting_property("EMAILS_URL")


class GoogleProvider(AllauthGoogleProvider):
    oauth2_adapter_class = GoogleAdapter


class GitHubProvider(AllauthGitHubProvider):
    oauth2_adapter_class = GitHubAdapter


def _raise_for_server_error(response, *args, **kwargs):
    """A provider answering 5xx is down: say so, rather than taking it for a refused code."""
    if response.status_code >= 500:
        response.raise_for_status()


def _back_to_login(request, detail: str) -> ImmediateHttpResponse:
    messages.error(request, detail)
    return ImmediateHttpResponse(redirect("accounts:login"))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        """allauth has found the provider's account (and any shop account already linked to it): apply
        the shop's rules, which link it to its account or create one, or refuse."""
        try:
            social.social_login_resolve(sociallogin=sociallogin)
        except BusinessError as exc:
            raise _back_to_login(request, exc.detail) from exc

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """A cancelled, failed or forged sign-in (bad state, refused code, provider down) goes back to the
        login page with a sentence instead of allauth's own error page."""
        if error == AuthError.CANCELLED:
            detail = f"Signing in with {provider.name} was cancelled."
        elif isinstance(exception, RequestException):
            detail = f"{provider.name} is not answering right now. Please try again in a moment."
        else:
            detail = f"Signing in with {provider.name} did not work. Please try again."
        raise _back_to_login(request, detail)

    def is_open_for_signup(self, request, sociallogin):
        return True  # new accounts are made by accounts.social before allauth would ask

    def get_requests_session(self):
        session = super().get_requests_session()
        session.hooks["response"].append(_raise_for_server_error)
        return session


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False  # the shop's own registration page is the only one

    def login(self, request, user):
        login_sessions.web_login(request, user)

    def logout(self, request):
        login_sessions.web_logout(request)

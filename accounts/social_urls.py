"""allauth's sign-in pages for the providers the shop offers: /accounts/google/login/ (and its
/callback/), /accounts/github/login/ ... . Only these are mounted: allauth's own login, signup and
email pages stay unreachable, the shop's account pages being the only ones. The URL names are
allauth's (it reverses `<provider>_login` and `<provider>_callback`)."""

from functools import wraps

from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.urls import path

from . import social
from .social_providers import GitHubAdapter, GoogleAdapter
from .views import social_sign_in_csp


def _offered(view, provider_id: str):
    """404 for a provider the shop has no credentials for."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        social.social_provider_check(provider_id)
        return view(request, *args, **kwargs)

    return wrapper


urlpatterns = []
for _adapter in (GoogleAdapter, GitHubAdapter):
    _id = _adapter.provider_id
    urlpatterns += [
        path(
            f"{_id}/login/",
            _offered(social_sign_in_csp(OAuth2LoginView.adapter_view(_adapter)), _id),
            name=f"{_id}_login",
        ),
        path(
            f"{_id}/login/callback/",
            _offered(OAuth2CallbackView.adapter_view(_adapter), _id),
            name=f"{_id}_callback",
        ),
    ]

"""Per-client request rates for registration and password reset, shared by the API and the pages.

Both front doors count against the same cache keys and the same rates
(`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`), so switching door does not buy an attacker more tries.
"""

from functools import wraps

from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle


class ScopeRateThrottle(SimpleRateThrottle):
    """DRF's scoped throttle with the scope given directly, so plain Django views can use it too."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def rate_limited(scope: str):
    """Page-view decorator: a POST over the scope's rate gets the 429 page and reaches no service."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not ScopeRateThrottle(scope).allow_request(request, None):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

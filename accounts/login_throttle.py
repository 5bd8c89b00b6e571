"""Counts failed logins per client address and per account; refuses further tries once over the limit.

Only failures count, so a shop with many users behind one NAT is not locked out by successful logins.
The counters live in the shared cache so every worker process sees the same numbers.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The address failures are counted against (the API and the login page share it)."""
    return request.META.get("REMOTE_ADDR", "")


def _keys(*, email: str, ip: str) -> list[str]:
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:ip:{ip}", f"login-fail:account:{account}"]


def login_is_blocked(*, email: str, ip: str) -> bool:
    counts = cache.get_many(_keys(email=email, ip=ip))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def login_failure_record(*, email: str, ip: str) -> None:
    for key in _keys(email=email, ip=ip):
        if cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_failures_clear(*, email: str, ip: str) -> None:
    """A success clears the account's counter only: one valid account must not reset an address."""
    cache.delete(_keys(email=email, ip=ip)[1])

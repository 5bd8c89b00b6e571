"""Throttling of password guesses: logins per account and per client address, and the password that
confirms a sensitive change (password change, closing the account) per user.

- Per account: the user's id when the email names an account, found by the database's own comparison,
  so every spelling the database takes for that account counts against it (case, and on MariaDB's
  utf8mb4_unicode_ci accents too: `cüst@…` logs into `cust@…`); for an email that names nobody, the
  email folded the same way (case and accents), so variants of a made-up address share one count too.
  LOGIN_FAILURE_LIMIT (5) failures per LOGIN_FAILURE_WINDOW_SECONDS.
- Per address, separately: LOGIN_FAILURE_IP_LIMIT (50) failures per window. It stops one machine from
  spraying guesses over many accounts, while its being ten times the account limit means that someone
  failing behind the same NAT (for made-up emails, or for their own account) does not lock the other
  people there out: the owner with the right password still logs in. Only a flood of 50 failures in a
  window blocks the address, and then for every account, so the answer never depends on whether the
  email exists.
- Counted before the check: each attempt claims a slot of both counters (see attempts.py) before its
  password is checked, so concurrent guesses get at most the limit's password checks. A refused attempt
  (over a limit) checks no password and keeps no slot; a success gives its address slot back and clears
  the account's count.

The counters live in the shared `default` cache, so every worker process sees the same numbers.
"""

import hashlib
import ipaddress
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from core.errors import Throttled

from .attempts import attempt_claim, attempt_release, attempts_clear


class _GuessesThrottled(Throttled):
    guesses = ""

    def __init__(self):
        minutes = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
        super().__init__(
            f"Too many {self.guesses}. Please wait {minutes} minutes and try again.",
            retry_after=settings.LOGIN_FAILURE_WINDOW_SECONDS,
        )


class LoginThrottled(_GuessesThrottled):
    guesses = "failed logins"


class PasswordChecksThrottled(_GuessesThrottled):
    guesses = "wrong passwords"


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a proxy listed in TRUSTED_PROXY_IPS the address
    that proxy saw (the right-most X-Forwarded-For entry that is not itself a trusted proxy)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_IPS
    if remote not in trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop and hop not in trusted:
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return remote


def email_fold(email: str) -> str:
    """An email as a case- and accent-insensitive collation compares it: `CÜST@x` → `cust@x`."""
    decomposed = unicodedata.normalize("NFKD", email.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _account_counter(email: str) -> str:
    User = get_user_model()
    user_id = (
        User.objects.filter(email__iexact=User.objects.normalize_email(email))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if user_id is not None:
        return f"login-fail:user:{user_id}"
    return "login-fail:email:" + hashlib.sha256(email_fold(email).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class LoginAttempt:
    account_counter: str
    address_slot: str


def login_attempt_begin(*, email: str, ip: str) -> LoginAttempt:
    """Count this login attempt against its account and its address, or raise LoginThrottled."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    account_counter = _account_counter(email)
    account_slot = attempt_claim(account_counter, limit=settings.LOGIN_FAILURE_LIMIT, window=window)
    if account_slot is None:
        raise LoginThrottled()
    address_slot = attempt_claim(f"login-fail:ip:{ip}", limit=settings.LOGIN_FAILURE_IP_LIMIT, window=window)
    if address_slot is None:
        attempt_release(account_slot)
        raise LoginThrottled()
    return LoginAttempt(account_counter=account_counter, address_slot=address_slot)


def login_attempt_succeeded(attempt: LoginAttempt) -> None:
    """The password was right: the account starts afresh; the address only gets its own slot back, so
    one valid account cannot wipe out the failures its address made on others."""
    attempts_clear(attempt.account_counter, limit=settings.LOGIN_FAILURE_LIMIT)
    attempt_release(attempt.address_slot)


def password_check_begin(*, user) -> None:
    """Count a check of the user's own password (before a sensitive change), or raise
    PasswordChecksThrottled: each check is a costly hash, and an open session must not be a free oracle."""
    slot = attempt_claim(
        f"password-fail:user:{user.pk}",
        limit=settings.LOGIN_FAILURE_LIMIT,
        window=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    )
    if slot is None:
        raise PasswordChecksThrottled()


def password_check_succeeded(*, user) -> None:
    attempts_clear(f"password-fail:user:{user.pk}", limit=settings.LOGIN_FAILURE_LIMIT)

"""Retrying a whole transaction when the database refuses it for locking reasons.

MySQL/MariaDB answer a deadlock (1213) or a lock wait timeout (1205) by rolling back; SQLite says
"database is locked" when its busy timeout runs out. Each is safe to retry from the start, a bounded
number of times; after that the client is told the shop is busy (503), never given a 500.
"""

import logging
import random
import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.db import OperationalError, connection

from .errors import ServiceBusy

logger = logging.getLogger(__name__)

T = TypeVar("T")

MYSQL_LOCK_ERRORS = {1205, 1213}
ATTEMPTS = 4


def is_lock_conflict(exc: OperationalError) -> bool:
    if connection.vendor == "mysql":
        return bool(exc.args) and exc.args[0] in MYSQL_LOCK_ERRORS
    return "database is locked" in str(exc) or "deadlock" in str(exc).lower()


def with_lock_retry(action: Callable[[], T], *, label: str) -> T:
    """Run `action` (which must open and own its transaction) again after a lock conflict."""
    if connection.in_atomic_block:
        return action()  # an outer transaction owns the retry; rolling back part of it is not ours to do
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return action()
        except OperationalError as exc:
            if not is_lock_conflict(exc):
                raise
            logger.warning("%s: lock conflict on attempt %s/%s: %s", label, attempt, ATTEMPTS, exc)
            if attempt == ATTEMPTS:
                raise ServiceBusy() from exc
            time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError("unreachable")


def lock_retrying(service: Callable[..., T]) -> Callable[..., T]:
    """`with_lock_retry` as a decorator, for a write service that opens its own transaction (put it
    above `@transaction.atomic`): a deadlock or lock wait timeout retries the whole call, then 503."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        return with_lock_retry(lambda: service(*args, **kwargs), label=service.__qualname__)

    return wrapper

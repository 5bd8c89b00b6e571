"""The catalog's version: a token that changes whenever a catalog service changes books, genres,
stock, prices or ratings, so what was rendered from the old catalog (catalog/page_cache.py) is not
served again.

The token lives in the shared `default` cache, so a change made by one process reaches all of them.
Each process reads it at most once every VERSION_READ_SECONDS (a page must not cost a cache round trip
for it); the process that made the change forgets its copy at once. A write that bypasses the services
(a raw UPDATE) is not seen here, which is why cached pages also expire on their own (their timeout).
"""

import time
import uuid

from django.core.cache import cache
from django.db import transaction

KEY = "catalog:version"
VERSION_READ_SECONDS = 1.0

_read: tuple[float, str] = (float("-inf"), "")  # (when, the token): this process's copy


def catalog_version() -> str:
    global _read
    read_at, version = _read
    now = time.monotonic()
    if now - read_at >= VERSION_READ_SECONDS:
        version = cache.get(KEY) or "0"
        _read = (now, version)
    return version


def catalog_changed() -> None:
    """Call from every catalog service that changes what a shopper sees: after the transaction commits
    (a rolled-back change changes nothing), the version changes."""
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)
    catalog_version_forget()


def catalog_version_forget() -> None:
    """Read the version from the shared cache next time (the tests clear that cache between tests)."""
    global _read
    _read = (float("-inf"), "")

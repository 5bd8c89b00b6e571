"""The catalog's versions: tokens that change whenever a catalog service changes what shoppers see, so
nothing worked out from the old catalog is served again.

- `catalog_version()` changes with every change to books, genres, stock, prices, ratings or rankings:
  kept pages and API answers (catalog/page_cache.py, catalog/api.py) are kept under it.
- `search_version()` changes with every change that can alter which books a search finds or their
  order, i.e. all of the above except a stock change that leaves the book in stock (or out of it): the
  searches' hits (catalog/search.py) are kept under it, so a sale does not throw away every search
  while a new, renamed, removed or sold-out book shows in searches at once.

The token lives in the shared `default` cache and is read from it on every lookup of a kept answer (one
cache round trip, far less than rendering): with several workers or servers, a shopper who changed
something (deleted a review, a staff member who restocked) is answered by whichever process from the
new catalog at once. A write that bypasses the services (a raw UPDATE) is not seen here, which is why
kept answers also expire on their own (their timeout).
"""

import uuid

from django.core.cache import cache
from django.db import transaction

KEY = "catalog:version"
SEARCH_KEY = "catalog:search-version"


def catalog_version() -> str:
    return cache.get(KEY) or "0"


def search_version() -> str:
    return cache.get(SEARCH_KEY) or "0"


def catalog_changed(*, matches: bool = True) -> None:
    """Call from every catalog service that changes what a shopper sees (`matches=False`: a change no
    search can tell, a stock count that stayed above zero): after the transaction commits (a rolled-back
    change changes nothing), the versions change."""
    transaction.on_commit(lambda: _bump(matches=matches), robust=True)


def _bump(*, matches: bool) -> None:
    token = uuid.uuid4().hex
    cache.set_many({KEY: token, SEARCH_KEY: token} if matches else {KEY: token}, None)

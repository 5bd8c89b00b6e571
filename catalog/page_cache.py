"""The catalog's pages kept as shells (core/page_shell.py): the book list (catalog, genre and search
pages) and an anonymous visitor's book page are rendered once per catalog version and URL and then
served, for BOOK_LIST_CACHE_SECONDS at most, from the per-process "pages" cache, each with the visitor's
own header, messages, CSRF token and nonce put in.

So a price or stock figure changed through the catalog services shows at once in every process (the
version, catalog/cache_version.py, is read from the shared cache each time); one written around them
lags by no more than BOOK_LIST_CACHE_SECONDS, as the API's list already does (0 turns the keeping off;
the pages are still rendered as shells). The cart and checkout always read live rows.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

from core.page_shell import Shell

from .cache_version import catalog_version


def shell_kept(request, page: str, render: Callable[[], Shell]) -> Shell:
    """The shell of `page` for this URL, from the cache or `render()` (kept unless it says otherwise)."""
    seconds = settings.BOOK_LIST_CACHE_SECONDS
    if not seconds:
        return render()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    key = f"page:{page}:{catalog_version()}:{path}"
    cache = caches["pages"]
    shell = cache.get(key)
    if shell is None:
        shell = render()
        if shell.cacheable:
            cache.set(key, shell, seconds)
    return shell

"""The shared cache and the mail transport, from the environment."""

from django.core.exceptions import ImproperlyConfigured


def caches_for(*, redis_url: str) -> dict:
    """Django's CACHES: `default` (login throttling, revoked tokens) and `search` (word searches' hits,
    large list counts) are shared by every process and server, in Redis when `redis_url` is set, else in database tables
    that `migrate` creates. `catalog` and `pages` stay per process, bounded, and never evict the shared entries."""
    if redis_url:
        shared = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url},
            "search": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "search",
            },
        }
    else:
        shared = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "bookstore_cache",
                # Django's default of 300 entries would cull live login-failure counts under a password spray.
                "OPTIONS": {"MAX_ENTRIES": 100_000},
            },
            # One search for a common word costs the database far more than reading this table does.
            "search": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "bookstore_search_cache",
                "OPTIONS": {"MAX_ENTRIES": 20000},
            },
        }
    return {
        **shared,
        # Derived catalog reads (book list pages, a process's copy of the large list counts): they may
        # lag by their timeouts and cost no query to read.
        "catalog": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "catalog",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        # Rendered catalog pages without their personal parts (catalog/page_cache.py), per process, apart
        # so they never evict the counts above. A book page's shell is ~11 KB, a list's ~35 KB: 2,000 of
        # them take 22-70 MB. Kept least recently used first, so a shop browsed over more pages than this
        # within BOOK_LIST_CACHE_SECONDS renders nearly every one afresh (500 was too few: bench/pages.py).
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }


def email_security(*, use_tls: bool, use_ssl: bool) -> tuple[bool, bool]:
    """EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (implicit TLS, port 465): not both."""
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive: set one of them (587: TLS, 465: SSL)."
        )
    return use_tls, use_ssl

"""Test settings: fast hashing, in-memory mail, local-memory cache per process."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "catalog": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "catalog"},
    "search": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "search"},
}
# Tests see every write at once; test_book_list_cache and test_search_hits turn these on.
BOOK_LIST_CACHE_SECONDS = 0
SEARCH_CACHE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Request lines would drown pytest's captured output; warnings and errors still show.
LOGGING["loggers"]["bookstore.request"]["level"] = "WARNING"  # noqa: F405

# Work "off the request" (core.background) runs at once, so tests see its effects; the password reset
# timing test turns it off.
BACKGROUND_TASKS_EAGER = True

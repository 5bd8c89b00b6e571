"""Test settings: fast hashing, in-memory mail, local-memory cache per process, tasks run eagerly."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "catalog": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "catalog"},
    "search": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "search"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Tasks queued on commit run at once, in the caller (the real worker: bookstore/tests/test_celery_worker.py).
BACKGROUND_TASKS = "celery"
CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = True
# Tests see every write at once; test_book_list_cache and test_search_hits turn these on.
BOOK_LIST_CACHE_SECONDS = 0
SEARCH_CACHE_SECONDS = 0
INSIGHTS_PUSH_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Request lines would drown pytest's captured output; warnings and errors still show.
LOGGING["loggers"]["bookstore.request"]["level"] = "WARNING"  # noqa: F405

"""Settings for the catalog benchmark (bench/catalog.py): production-like, plus bench-only extras.

DEBUG off, the shared database cache, persistent database connections (what a production deployment
sets; the base settings open one per request), and: a query counter header, a no-database /api/ping/ (the
framework's floor) and /api/bench/naive-books/ (search with `icontains`, to compare). None of these
extras exist outside this settings module.
"""

from bookstore.settings.base import *  # noqa: F403
from bookstore.settings.base import DATABASES, MIDDLEWARE
from bookstore.settings.env import env_str

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
DATABASES["default"]["CONN_MAX_AGE"] = 300
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

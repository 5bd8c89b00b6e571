"""Settings shared by every environment; everything deployment-specific comes from the environment."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from .backends import caches_for, email_security
from .database import database_from_url
from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "django-insecure-dev-only-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The shop's "form expired" page, or the API's JSON error under /api/.
CSRF_FAILURE_VIEW = "core.error_views.csrf_failure"

INSTALLED_APPS = [
    # Django's admin, with the back office's dashboard and report pages (checkout/admin_site.py).
    "checkout.apps.BookstoreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The footer's pages (contact, shipping & returns, privacy, terms), written by staff in the admin;
    # core/migrations seeds them. Flat pages belong to a site: SITE_ID below.
    "django.contrib.sites",
    "django.contrib.flatpages",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "django_countries",
    # Sign in with Google and GitHub (accounts/social.py); the shop's own pages stay the only account pages.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "core",  # helpers shared by every app, and the template tags every page uses (templatetags/shop.py)
    "notifications",
    "insights",
    "accounts",
    "catalog",
    "cart",
    "orders",
    "payments",
    "reviews",
    "checkout",
]

MIDDLEWARE = [
    "core.request_logging.RequestLoggingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) with Stripe.js's origins; sets request.csp_nonce.
    "payments.csp.StripeCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A revoked browser login is logged out; a new one gets its row (accounts/login_sessions.py).
    "accounts.middleware.LoginSessionMiddleware",
    # allauth's request context (the social sign-in flow reads it).
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the refusals page views raise (and leaves /api/ to DRF).
    "core.page_errors.ShopRefusalMiddleware",
]

ROOT_URLCONF = "bookstore.urls"
SITE_ID = 1
WSGI_APPLICATION = "bookstore.wsgi.application"
ASGI_APPLICATION = "bookstore.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cart.context_processors.cart",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Seconds a worker keeps its connection between requests (0: one per request).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Shared by every process of one deployment (login throttling must not multiply per worker): Redis when
# REDIS_URL is set, else tables in the database (created by `migrate`, see core/migrations).
REDIS_URL = env_str("REDIS_URL", "")
CACHES = caches_for(redis_url=REDIS_URL)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email (see notifications/: every message goes through the outbox, sent by the background tasks) -
_named_mail_server = env_str("EMAIL_HOST", "")
EMAIL_HOST = _named_mail_server or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS, EMAIL_USE_SSL = email_security(
    use_tls=env_bool("EMAIL_USE_TLS", False), use_ssl=env_bool("EMAIL_USE_SSL", False)
)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# SMTP as soon as a mail server is named; the console otherwise (nothing leaves the machine).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if _named_mail_server
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "") or str(BASE_DIR / "sent-emails")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bookstore <shop@bookstore.local>")
# A failing message is tried again after 1, 2, 4 ... minutes (at most an hour apart) until this many
# hours after the event, then marked failed for staff (admin: "Failed notifications").
NOTIFICATION_RETRY_HOURS = env_int("NOTIFICATION_RETRY_HOURS", 24)

# --- Background tasks (Celery) ---------------------------------------------------------------------
# With a broker, `celery -A bookstore worker` runs the tasks and `celery -A bookstore beat` the periodic
# jobs. Without one ("embedded", a single machine), the web process runs them itself in background
# threads (core/background.py).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or REDIS_URL
BACKGROUND_TASKS = "celery" if CELERY_BROKER_URL else "embedded"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # Django's LOGGING stays in charge
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing a task must never hold up a request: a broker that does not answer is given up on quickly,
# and the outbox's periodic sweep sends what was not queued.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE = {
    "deliver-due-notifications": {
        "task": "notifications.tasks.deliver_due_notifications",
        "schedule": 30.0,
    },
    "expire-unpaid-orders": {"task": "checkout.tasks.expire_unpaid_orders", "schedule": 60.0},
    "retry-refunds": {"task": "payments.tasks.retry_refunds", "schedule": 5 * 60.0},
    "refresh-bestsellers": {"task": "orders.tasks.refresh_bestsellers", "schedule": 60 * 60.0},
    "refresh-related-books": {
        "task": "orders.tasks.refresh_related_books",
        "schedule": crontab(hour=3, minute=0),
    },
    "rebuild-search-terms": {
        "task": "catalog.tasks.rebuild_search_terms",
        "schedule": crontab(hour=3, minute=30),
    },
    "send-low-stock-digest": {
        "task": "catalog.tasks.send_low_stock_digest",
        "schedule": crontab(hour=7, minute=0),
    },
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])

# --- Shop ----------------------------------------------------------------------------------------
# Where shoppers reach the site: every link in an email is built from it, never from a request's Host.
# SHOP_BASE_URL is its former name, still read for one release.
SITE_URL = (env_str("SITE_URL", "") or env_str("SHOP_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
SHOP_CURRENCY = env_str("SHOP_CURRENCY", "USD").upper()
PAYMENT_TIMEOUT_MINUTES = env_int("PAYMENT_TIMEOUT_MINUTES", 30)
# false: prices are net and tax is added at checkout (US style); true: prices contain their tax (EU style).
PRICES_INCLUDE_TAX = env_bool("PRICES_INCLUDE_TAX", False)
# Days after delivery during which a customer may ask to return books.
RETURN_WINDOW_DAYS = env_int("RETURN_WINDOW_DAYS", 30)
COVER_MAX_BYTES = 5 * 1024 * 1024
# Seconds a page of /api/books/ is served from the "catalog" cache (0: never).
BOOK_LIST_CACHE_SECONDS = env_int("BOOK_LIST_CACHE_SECONDS", 10)
# Seconds a word search's hits are kept in the "search" cache (0: never); see catalog/search.py.
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 60)
# Seconds a process tallies shopper events before adding them to the daily tables (0: at each event).
INSIGHTS_PUSH_SECONDS = env_int("INSIGHTS_PUSH_SECONDS", 5)
# Failed logins per account, and per client address (0: no limit); see accounts/login_throttle.py.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_IP_LIMIT = env_int("LOGIN_FAILURE_IP_LIMIT", 50)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Reverse proxies whose X-Forwarded-For names the client (for throttling and the login list).
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS", [])

# --- Social sign-in (django-allauth; see accounts/social.py and README "Social login") ----------------
# A provider without both credentials is off: no button, and its URLs and API endpoint answer 404.
GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID", "")
GOOGLE_CLIENT_SECRET = env_str("GOOGLE_CLIENT_SECRET", "")
GITHUB_CLIENT_ID = env_str("GITHUB_CLIENT_ID", "")
GITHUB_CLIENT_SECRET = env_str("GITHUB_CLIENT_SECRET", "")


def _social_apps(client_id: str, secret: str) -> list[dict]:
    return [{"client_id": client_id, "secret": secret}] if client_id and secret else []


# The endpoints are read per request (accounts/social_providers.py), so tests point them at a local
# provider (tests_support/oauth_provider.py).
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "provider_class": "accounts.social_providers.GoogleProvider",
        "APPS": _social_apps(GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET),
        "SCOPE": ["openid", "email", "profile"],
        "OAUTH_PKCE_ENABLED": True,
        "AUTHORIZE_URL": "https://accounts.google.com/o/oauth2/v2/auth",
        "ACCESS_TOKEN_URL": "https://oauth2.googleapis.com/token",
        "IDENTITY_URL": "https://openidconnect.googleapis.com/v1/userinfo",
        "ID_TOKEN_ISSUER": "https://accounts.google.com",
        "CERTS_URL": "https://www.googleapis.com/oauth2/v1/certs",
    },
    "github": {
        "provider_class": "accounts.social_providers.GitHubProvider",
        "APPS": _social_apps(GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET),
        "SCOPE": ["read:user", "user:email"],
        "OAUTH_PKCE_ENABLED": True,
        "AUTHORIZE_URL": "https://github.com/login/oauth/authorize",
        "ACCESS_TOKEN_URL": "https://github.com/login/oauth/access_token",
        "PROFILE_URL": "https://api.github.com/user",
        "EMAILS_URL": "https://api.github.com/user/emails",
    },
}
SOCIALACCOUNT_ADAPTER = "accounts.social_providers.SocialAccountAdapter"
ACCOUNT_ADAPTER = "accounts.social_providers.AccountAdapter"
# Which account a sign-in opens is the shop's rule (accounts/social.py), not allauth's email matching.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False  # the provider's tokens are used once, to learn who signed in
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True

# --- Stripe --------------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "sk_test_localstripe")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "whsec_localstripe")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")

# --- Content-Security-Policy (django-csp) ----------------------------------------------------------
# Scripts, styles, images and fonts from the shop itself only: no inline script or style, no eval. A
# <script> in a template carries nonce="{{ request.csp_nonce }}". payments.csp adds Stripe.js's origins
# (and the emulator's), and the only frames: Stripe's. The admin and the API docs are Django's and drf-spectacular's pages, whose inline
# scripts this policy would break: they keep the browser defaults.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/docs", "/api/redoc"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # JWT first so an anonymous call is answered 401 with a WWW-Authenticate header.
        "accounts.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.ShopAutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_RATES": {
        "register": env_str("THROTTLE_REGISTER", "20/hour"),
        "password_reset": env_str("THROTTLE_PASSWORD_RESET", "10/hour"),
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7)),
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # Revocation goes by login session (accounts/tokens.py): a password change keeps the caller's own.
    "CHECK_REVOKE_TOKEN": False,
    "CHECK_USER_IS_ACTIVE": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Bookstore API",
    "DESCRIPTION": "REST API of the bookstore: catalog, accounts, cart, orders and payments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    # Several models have a `status` field; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "PaymentStatusEnum": "payments.models.PaymentStatus",
        "RefundStatusEnum": "payments.models.RefundStatus",
        "PreBookingStatusEnum": "catalog.models.PreBooking.Status",
    },
}

LOG_FORMAT = env_str("LOG_FORMAT", "plain")  # "json" for one JSON object per line
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.request_logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Our request line replaces Django's own 4xx/5xx warnings, which would say the same twice.
        "django.request": {"level": "ERROR"},
        "bookstore.request": {"level": env_str("REQUEST_LOG_LEVEL", "INFO")},
    },
}

"""Mail, cache, broker and site settings read from the environment (bookstore/settings/base.py), each
combination in a fresh interpreter as a deployment would start."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW = """
import json
from bookstore.settings import base as s
print(json.dumps({
    "caches": {name: (c["BACKEND"].rsplit(".", 1)[1], c.get("LOCATION")) for name, c in s.CACHES.items()},
    "broker": s.CELERY_BROKER_URL, "tasks": s.BACKGROUND_TASKS, "site": s.SITE_URL,
    "mail": [s.EMAIL_BACKEND.rsplit(".", 2)[1], s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT],
}))
"""
NAMES = [
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SITE_URL",
    "SHOP_BASE_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
]


def _settings_with(**environment) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in NAMES}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _read(**environment) -> dict:
    shown = _settings_with(**environment)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def test_the_embedded_default_one_machine_no_broker():
    shown = _read()

    assert shown["caches"] == {
        "default": ["DatabaseCache", "bookstore_cache"],
        "search": ["DatabaseCache", "bookstore_search_cache"],
        "catalog": ["LocMemCache", "catalog"],
        "pages": ["LocMemCache", "pages"],
    }
    assert (shown["broker"], shown["tasks"]) == ("", "embedded")
    assert shown["site"] == "http://127.0.0.1:8000"
    assert shown["mail"] == ["console", "localhost", 25, False, False, 10]


def test_redis_url_makes_redis_the_shared_cache_and_the_broker():
    shown = _read(REDIS_URL="redis://cache.internal:6379/2")

    assert shown["caches"] == {
        "default": ["RedisCache", "redis://cache.internal:6379/2"],
        "search": ["RedisCache", "redis://cache.internal:6379/2"],
        "catalog": ["LocMemCache", "catalog"],
        "pages": ["LocMemCache", "pages"],
    }
    assert (shown["broker"], shown["tasks"]) == ("redis://cache.internal:6379/2", "celery")


def test_celery_broker_url_overrides_the_broker_only():
    shown = _read(
        REDIS_URL="redis://cache.internal:6379/2", CELERY_BROKER_URL="redis://queue.internal:6379/0"
    )

    assert shown["broker"] == "redis://queue.internal:6379/0"
    assert shown["caches"]["default"] == ["RedisCache", "redis://cache.internal:6379/2"]


def test_site_url_and_its_former_name():
    assert _read(SITE_URL="https://shop.example.com/")["site"] == "https://shop.example.com"
    assert _read(SHOP_BASE_URL="https://old.example.com")["site"] == "https://old.example.com"
    both = _read(SITE_URL="https://shop.example.com", SHOP_BASE_URL="https://old.example.com")
    assert both["site"] == "https://shop.example.com"


def test_naming_a_mail_server_sends_by_smtp():
    shown = _read(EMAIL_HOST="smtp.example.com", EMAIL_PORT="587", EMAIL_USE_TLS="true", EMAIL_TIMEOUT="5")

    assert shown["mail"] == ["smtp", "smtp.example.com", 587, True, False, 5]
    assert (
        _read(
            EMAIL_HOST="smtp.example.com", EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend"
        )["mail"][0]
        == "filebased"
    )


def test_tls_and_ssl_together_are_refused():
    refused = _settings_with(EMAIL_HOST="smtp.example.com", EMAIL_USE_TLS="true", EMAIL_USE_SSL="true")

    assert refused.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive" in refused.stderr

"""Fixtures shared by every app's tests."""

import pytest
from rest_framework.test import APIClient

from accounts.factories import StaffFactory, UserFactory
from accounts.tokens import token_pair_for_user

# Chromium + Playwright fixtures (`browser`, `page`) for tests marked `browser`; a real localstripe
# (`stripe_api`, `stripe_live`, `stripe_down`) for tests marked `stripe`; a real SMTP server
# (`smtp_server`) that tests can take down and bring back; a local Google and GitHub (`oauth_provider`).
pytest_plugins = [
    "tests_browser.fixtures",
    "tests_support.localstripe",
    "tests_support.smtp",
    "tests_support.oauth_provider",
]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for_user(user)['access']}")
    return client


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def admin_user(db):
    """A superuser, for the Django admin; pytest-django's `admin_client` logs it in. (pytest-django's own
    `admin_user` cannot make one here: our users have a username beside the email they log in with.)"""
    return StaffFactory(is_superuser=True)


@pytest.fixture
def user_client(user):
    return client_for(user)


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


def pytest_collection_modifyitems(config, items):
    """Tests marked `mariadb` need real row locks and threads sharing one server: skip them elsewhere."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
        return
    skip = pytest.mark.skip(reason="needs MySQL/MariaDB (set DATABASE_URL=mysql://...)")
    for item in items:
        if "mariadb" in item.keywords:
            item.add_marker(skip)


def run_in_threads(target, arguments: list[tuple], *, timeout: float = 60) -> list:
    """Run `target(*args)` for each tuple at the same moment (behind a barrier); return results in order.

    Each thread closes its own database connection, and an exception is returned as the result.
    """
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(arguments))
    results: list = [None] * len(arguments)

    def worker(index, args):
        try:
            barrier.wait(timeout=timeout)
            results[index] = target(*args)
        except Exception as exc:  # returned to the test, which asserts on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, args)) for i, args in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker thread hung"
    return results

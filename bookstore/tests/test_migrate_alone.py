"""`manage.py migrate` alone prepares a working shop: a database migrated from nothing, with the
production settings and their default (database) caches, answers login, register and search, on the
API and the pages, without anyone running `createcachetable`.

Runs in a subprocess against a fresh SQLite file, as a new deployment would.
"""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

REQUESTS = """
import json
import django
from django.conf import settings

# Pages name their static files; the hashed names would need `collectstatic`, beside this test's point.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
django.setup()
from django.test import Client

api, page = Client(), Client()
account = {"email": "new@example.com", "username": "newreader", "password": "violet-tugboat-meridian-77"}
statuses = {
    "register": api.post("/api/auth/register/", account, content_type="application/json").status_code,
    "login": api.post(
        "/api/auth/login/", {"email": account["email"], "password": account["password"]},
        content_type="application/json",
    ).status_code,
    "wrong password": api.post(
        "/api/auth/login/", {"email": account["email"], "password": "wrong"}, content_type="application/json"
    ).status_code,
    "search": api.get("/api/books/", {"search": "dune"}).status_code,
    "search page": page.get("/", {"search": "dune"}).status_code,
    "login page": page.post(
        "/accounts/login/", {"username": account["email"], "email": account["email"], "password": account["password"]}
    ).status_code,
}
print(json.dumps(statuses))
"""


def test_a_database_migrated_from_nothing_answers_login_register_and_search(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bookstore.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.sqlite3'}",
        # Production refuses the demo's Stripe values; an emulator's address lets made-up keys pass.
        "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(16),
        "STRIPE_API_BASE": "http://127.0.0.1:9",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)  # the embedded default: the caches live in the database
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]

    subprocess.run([*manage, "migrate", "--noinput", "--verbosity", "0"], env=env, check=True, timeout=300)
    answered = subprocess.run(
        [sys.executable, "-c", REQUESTS],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout.splitlines()[-1]) == {
        "register": 201,
        "login": 200,
        "wrong password": 401,
        "search": 200,
        "search page": 200,
        "login page": 302,
    }

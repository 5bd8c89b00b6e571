"""Shared plumbing for the benchmarks: a scratch MariaDB database, a gunicorn server, HTTP timing."""

import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Where the benches' buyers ship to: Illinois, which seed_demo's US methods and tax rates cover.
ADDRESS = {
    "full_name": "Bench Buyer",
    "line1": "1 Load Street",
    "city": "Springfield",
    "region": "IL",
    "postal_code": "62701",
    "country": "US",
}
SHIPPING_METHOD = "us-ground"
CHECKOUT_BODY = {"shipping_address": ADDRESS, "shipping_method": SHIPPING_METHOD}


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings, over plain HTTP on loopback, against the given database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bookstore.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def recreate_mysql_database(database_url: str) -> None:
    import MySQLdb

    url = urlparse(database_url)
    connection = MySQLdb.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 3306,
        user=url.username or "root",
        passwd=url.password or "",
    )
    name = url.path.lstrip("/")
    cursor = connection.cursor()
    cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()


def prepare_scratch_database(env: dict[str, str]) -> None:
    """Make this process use `env`, recreate its database from scratch, migrate it and set Django up."""
    os.environ.update(env)
    print(f"Scratch database {env['DATABASE_URL']} …", flush=True)
    recreate_mysql_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input")
    manage(env, "createcachetable")
    import django

    django.setup()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def gunicorn(env: dict[str, str], *, port: int, workers: int = 4, threads: int = 1):
    """The app under gunicorn with the production server settings (gunicorn.conf.py) on `port`."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is already serving something (another benchmark?)")
    log = open(ROOT / "bench" / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "bookstore.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--backlog",
            "2048",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(port, "/api/health/")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for_http(port: int, path: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(port, "GET", path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer {path} within {timeout}s")


def request(
    port: int, method: str, path: str, body=None, token: str | None = None
) -> tuple[int, dict, float]:
    """One HTTP call on a fresh connection; returns (status, json body or {}, seconds)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return response.status, data, elapsed


def percentile(samples: list[float], fraction: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def describe_latencies(samples: list[float]) -> str:
    ms = [sample * 1000 for sample in samples]
    return (
        f"p50 {percentile(ms, 0.50):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"p99 {percentile(ms, 0.99):.1f} ms, mean {statistics.fmean(ms):.1f} ms"
    )

"""Shared plumbing for the benchmarks: a scratch database, a gunicorn server, HTTP calls, wrk runs."""

import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"  # git-ignored: reports and scratch files
PYTHON = sys.executable
# A server with both catalog caches off, so every request does the whole work (a first search, a changed
# page); the benchmarks measure it beside the shipped settings.
CACHES_OFF = {"BOOK_LIST_CACHE_SECONDS": "0", "SEARCH_CACHE_SECONDS": "0"}


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
        # Production refuses the demo's Stripe values: a webhook secret of this run, and localstripe's
        # made-up keys with the emulator's address (load.py passes the port it really runs on).
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET") or "whsec_" + secrets.token_hex(16),
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE") or "http://127.0.0.1:8420",
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
    """Make this process use `env`, recreate its database from scratch (a MySQL/MariaDB database, or a
    SQLite file), migrate it and set Django up."""
    os.environ.update(env)
    print(f"Scratch database {env['DATABASE_URL']} …", flush=True)
    if env["DATABASE_URL"].startswith("sqlite:///"):
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        recreate_mysql_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input")
    import django

    django.setup()


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command in its own process; returns what it printed."""
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout


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


def http_call(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 120,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One HTTP call to 127.0.0.1:`port` on a fresh connection; returns (status, headers, raw body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def request(
    port: int, method: str, path: str, body=None, token: str | None = None
) -> tuple[int, dict, float]:
    """One JSON API call on a fresh connection; returns (status, json body or {}, seconds)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    status, _, raw = http_call(port, method, path, headers=headers, body=payload)
    elapsed = time.perf_counter() - started
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return status, data, elapsed


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


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- wrk -----------------------------------------------------------------------------------------------

# GET requests rotating over the paths (each with a unique parameter when `unique`, so no page cache can
# answer), with wrk's -H headers; every response that is not a 200 is counted in each thread, and the
# totals and exact latency percentiles (microseconds) are printed as one JSON line at the end.
_WRK_LUA = """
local paths = {%s}
local unique = %s
local threads = {}
local i, n = 0, 0
setup = function(thread) table.insert(threads, thread) end
init = function(args) not_200 = 0 end
request = function()
  i = i %% #paths + 1
  n = n + 1
  local path = paths[i]
  if unique then path = path .. (path:find("?", 1, true) and "&" or "?") .. "nocache=" .. n .. "-" .. math.random(1e9) end
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  if status ~= 200 then not_200 = not_200 + 1 end
end
done = function(summary, latency, requests)
  local e, bad = summary.errors, 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_200") end
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, "not_200": %%d, '
    .. '"p50": %%d, "p95": %%d, "p99": %%d, "p999": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, bad,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency:percentile(99.9)))
end
"""


@dataclass
class Load:
    """What one wrk run sends: GETs rotating over `paths` on `connections` connections."""

    paths: list[str]
    connections: int
    threads: int = 1
    headers: dict[str, str] = field(default_factory=dict)  # e.g. a session cookie
    unique: bool = False  # a unique parameter on every request, so no page cache answers


def wrk(port: int, load: Load, seconds: float) -> dict:
    """One wrk run. Returns requests, rate (req/s), p50/p95/p99/p999 (µs), socket errors and responses that
    were not a 200 (`not_200`)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            _WRK_LUA % (", ".join(json.dumps(path) for path in load.paths), str(load.unique).lower())
        )
    headers = [option for name, value in load.headers.items() for option in ("-H", f"{name}: {value}")]
    command = [
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{seconds}s",
        "--timeout=60s",
        *headers,
        "-s",
        script.name,
        f"http://127.0.0.1:{port}",
    ]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
    line = next(line for line in output.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def wrk_rounds(port: int, loads: dict[str, Load], *, seconds: float, rounds: int) -> dict[str, dict]:
    """`rounds` wrk runs of each load, interleaved with the others so a burst of noise on a shared machine
    hits them all alike; for each load the run with the median req/s, with `not_200` and `errors` summed
    over all its runs (any one of them counts)."""
    runs: dict[str, list[dict]] = {name: [] for name in loads}
    for _ in range(rounds):
        for name, load in loads.items():
            runs[name].append(wrk(port, load, seconds))
    medians = {}
    for name, results in runs.items():
        median = dict(sorted(results, key=lambda result: result["rate"])[len(results) // 2])
        median["not_200"] = sum(result["not_200"] for result in results)
        median["errors"] = sum(result["errors"] for result in results)
        medians[name] = median
    return medians


class BufferPoolRaised:
    """MariaDB's packaged default buffer pool (128 MiB) cannot hold a million books; a production server
    is sized for its data. Raised to 2 GiB for the run (SET GLOBAL, dynamic) and put back afterwards."""

    WANTED = 2 * 1024**3

    def __init__(self, server_url: str):
        self.server_url, self.original = server_url, None

    def __enter__(self):
        with MysqlServer(self.server_url) as cursor:
            cursor.execute("SELECT @@innodb_buffer_pool_size")
            self.original = cursor.fetchone()[0]
            if self.original < self.WANTED:
                cursor.execute(f"SET GLOBAL innodb_buffer_pool_size = {self.WANTED}")
                print(
                    f"innodb_buffer_pool_size {self.original >> 20} MiB -> {self.WANTED >> 20} MiB for the run"
                )

    def __exit__(self, *exc):
        if self.original is not None and self.original < self.WANTED:
            with MysqlServer(self.server_url) as cursor:
                cursor.execute(f"SET GLOBAL innodb_buffer_pool_size = {self.original}")


class MysqlServer:
    """A plain MySQLdb connection to the server (or one database), outside Django's settings."""

    def __init__(self, server_url: str, database: str = "mysql", **options):
        import dj_database_url
        import MySQLdb

        config = dj_database_url.parse(f"{server_url}/{database}")
        self.connection = MySQLdb.connect(
            host=config["HOST"] or "127.0.0.1",
            port=int(config["PORT"] or 3306),
            user=config["USER"] or "root",
            password=config["PASSWORD"] or "",
            database=database,
            charset="utf8mb4",
            autocommit=True,
            **options,
        )

    def __enter__(self):
        return self.connection.cursor()

    def __exit__(self, *exc):
        self.connection.close()

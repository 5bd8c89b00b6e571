"""Payment fixtures: one real localstripe per test process (so per xdist worker), fresh for every test."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .helpers import LocalStripe

SERVER_SCRIPT = Path(__file__).with_name("localstripe_memory.py")
START_TIMEOUT_SECONDS = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(f"{url}/v1/balance", timeout=1)
    except urllib.error.HTTPError:
        return True  # 401 without a key: it is up
    except OSError:
        return False
    return True


def _start_localstripe(log_path: Path) -> tuple[subprocess.Popen, str]:
    for _ in range(3):  # another process may grab the free port first: try a new one
        port = _free_port()
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, str(SERVER_SCRIPT), "--port", str(port)], stdout=log, stderr=log
            )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while process.poll() is None and time.monotonic() < deadline:
            if _answers(url):
                return process, url
            time.sleep(0.1)
        process.kill()
        process.wait()
    raise RuntimeError(f"localstripe did not start; see {log_path}")


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    process, url = _start_localstripe(tmp_path_factory.mktemp("localstripe") / "localstripe.log")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def stripe_api(localstripe_url, settings):
    """localstripe with an empty store, and the shop's Stripe client pointed at it."""
    settings.STRIPE_API_BASE = localstripe_url
    server = LocalStripe(localstripe_url)
    server.stop_webhooks()
    server.reset()
    yield server
    server.stop_webhooks()


@pytest.fixture
def stripe_down(settings):
    """The shop's Stripe client pointed at a port where nothing listens: a provider outage."""
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"

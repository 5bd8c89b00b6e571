"""localstripe fixtures for any app's tests: one real localstripe per test process (so per xdist
worker), emptied for every test, and a small HTTP client for it (`LocalStripe`).

- `stripe_api`: localstripe with an empty store, the shop's Stripe client pointed at it; no webhooks.
- `stripe_live`: the same, delivering its signed webhooks to pytest-django's `live_server`, as Stripe
  delivers them to the shop (for end-to-end and browser tests).
- `stripe_down`: the shop's Stripe client pointed at a port where nothing listens.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

# The demo and the load bench run the same localstripe (in memory, with its Stripe.js fix).
SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "localstripe_server.py"
WEBHOOK_PATH = "/api/payments/webhook/"
INTENT_EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"]
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
def stripe_live(stripe_api, live_server):
    """localstripe sending its signed webhooks to the live server, as Stripe does to the shop."""
    stripe_api.send_webhooks_to(live_server.url + WEBHOOK_PATH)
    return stripe_api


@pytest.fixture
def stripe_down(settings):
    """The shop's Stripe client pointed at a port where nothing listens: a provider outage."""
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"


class LocalStripe:
    """Plain HTTP to a running localstripe: what Stripe.js and the Stripe dashboard would do."""

    WEBHOOK_ID = "tests"

    def __init__(self, url: str):
        self.url = url

    def call(self, method: str, path: str, data: dict | None = None, *, auth: bool = True) -> dict:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method != "GET" else None
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if auth:
            request.add_header("Authorization", "Bearer sk_test_localstripe")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
        return json.loads(raw) if raw.strip() else {}

    def reset(self) -> None:
        self.call("DELETE", "/_config/data", auth=False)

    def send_webhooks_to(self, url: str) -> None:
        self.call(
            "POST",
            f"/_config/webhooks/{self.WEBHOOK_ID}",
            {"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET, "events[]": INTENT_EVENTS},
            auth=False,
        )

    def stop_webhooks(self) -> None:
        # localstripe cannot forget a webhook: point it at an event type that never happens instead.
        self.call(
            "POST",
            f"/_config/webhooks/{self.WEBHOOK_ID}",
            {"url": "http://127.0.0.1:9/", "secret": "off", "events[]": ["test.disabled"]},
            auth=False,
        )

    def pay(self, intent_id: str, payment_method: str = "pm_card_visa") -> dict:
        """Attach a card and confirm, as Stripe.js does (pm_card_chargeCustomerFail is declined)."""
        self.call("POST", f"/v1/payment_intents/{intent_id}", {"payment_method": payment_method})
        return self.call("POST", f"/v1/payment_intents/{intent_id}/confirm")

    def intent(self, intent_id: str) -> dict:
        return self.call("GET", f"/v1/payment_intents/{intent_id}")

    def intents_for_order(self, order_id: int) -> list[dict]:
        listed = self.call("GET", "/v1/payment_intents?limit=100")["data"]
        return [intent for intent in listed if intent["metadata"].get("order_id") == str(order_id)]

    def refunds(self, intent_id: str) -> list[dict]:
        # Listing all: localstripe fails (500) on `?payment_intent=` for an intent never charged.
        listed = self.call("GET", "/v1/refunds?limit=100")["data"]
        return [refund for refund in listed if refund["payment_intent"] == intent_id]

"""pytest fixtures for browser tests (loaded as a plugin by the root conftest).

- `browser`: one headless Debian Chromium per test process (so per pytest-xdist worker), for the session.
- `screen`: runs the test once per size of VIEWPORTS ("desktop" 1280×800, "phone" 390×844), with the
  page resized; its value names the size (for screenshots).
- `page`: a fresh browser context and page per test, pointed at pytest-django's `live_server` (each
  worker has its own server on a free port and its own test database, so workers do not collide).
  Requesting it gives the test `transactional_db`: the live server runs in another thread and only
  sees committed rows. A failing test leaves a screenshot in test-artifacts/screenshots/.
  The page never leaves this machine: a request to another host (real Stripe.js, say) fails at once,
  as it would offline, so no test depends on the internet or waits for it.
  Every browser test also checks the Content-Security-Policy: a violation the page reports (Chromium
  logs each to the console) fails the test, so every page the tests visit runs under the real policy.
  `csp_violations` hands the list to a test that expects one.
"""

import os
import re

import pytest

from .helpers import VIEWPORTS, screenshot, screenshot_path

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Any http(s) URL whose host is not this machine.
ELSEWHERE = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1|\[::1\])[:/])")
# Generous enough for a loaded CI machine; a wait that runs out is a failure, not a timing assertion.
ACTION_TIMEOUT_MS = 15_000

_call_failed = pytest.StashKey[bool]()
_csp_violations = pytest.StashKey[list]()
CSP_MESSAGE = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ACTION_TIMEOUT_MS)

    # Playwright's sync API keeps an asyncio event loop running in this thread, and Django refuses ORM
    # calls from a thread with a running loop (SynchronousOnlyOperation). Our tests are synchronous:
    # they create rows and check results between page actions, never concurrently with the loop's
    # own work, so the guard only gets in the way here. It is lifted for this process only while
    # browser tests run, and restored afterwards.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


@pytest.fixture
def page(request, browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.route(ELSEWHERE, lambda route: route.abort("internetdisconnected"))
    tab = context.new_page()
    violations = request.node.stash[_csp_violations] = []
    tab.on("console", lambda message: CSP_MESSAGE.search(message.text) and violations.append(message.text))
    failure_shot = f"FAILED-{request.node.name}"
    screenshot_path(failure_shot).unlink(missing_ok=True)  # a stale one from an earlier run misleads
    yield tab
    if request.node.stash.get(_call_failed, False):
        screenshot(tab, failure_shot)
    context.close()
    if violations:
        pytest.fail("the Content-Security-Policy refused something:\n" + "\n".join(violations))


@pytest.fixture
def csp_violations(request, page) -> list[str]:
    """What the page's Content-Security-Policy refused so far (a test that provokes it clears the list)."""
    return request.node.stash[_csp_violations]


@pytest.fixture
def browser_login(page, live_server):
    """`browser_login(user)` gives the test's page a logged-in session for `user`.

    For tests about something other than the login form: it skips typing credentials (and the login
    throttle) but yields a real session row and cookie, as the login page would.
    """
    from django.conf import settings
    from django.test import Client

    def log_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return log_in


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, page) -> str:
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param

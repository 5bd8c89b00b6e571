"""Browser-test support: a real Chromium (Debian's) driven by Playwright against pytest-django's
live server. Fixtures live in `tests_browser.fixtures` (loaded by the root conftest); helpers that
tests import live here."""

from .helpers import screenshot, within_viewport

__all__ = ["screenshot", "within_viewport"]

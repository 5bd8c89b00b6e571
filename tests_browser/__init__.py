"""Browser-test support: a real Chromium (Debian's) driven by Playwright against pytest-django's
live server. Fixtures live in `tests_browser.fixtures` (loaded by the root conftest); helpers that
tests import live here."""

from .accessibility import accessibility_violations
from .helpers import screenshot

__all__ = ["accessibility_violations", "screenshot"]

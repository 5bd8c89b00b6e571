"""Helpers for browser tests: screenshots into test-artifacts/screenshots/."""

import re
from pathlib import Path

from django.conf import settings

SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

# The screen sizes every storefront journey runs at (the `screen` fixture): a desktop and a phone.
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def screenshot_path(name: str) -> Path:
    return SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = screenshot_path(name)
    page.screenshot(path=str(path), full_page=True)
    return path


def within_viewport(page, locator) -> bool:
    """Whether the element is wholly inside the visible window (not off an edge, not below the fold)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )

"""The notifications app's tests mail a small template of their own (tests/templates/), so that they
need no app above this one."""

from pathlib import Path

import pytest

from notifications.services import email_notify

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "notifications/email/shelf"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEMPLATES_DIR]}]


def notify(key: str = "shelf:1:counted", *, to: str = "ada@example.com", count: int = 3) -> None:
    email_notify(
        key=key, to=to, template=TEMPLATE, context={"name": "Ada", "shelf": "Shelf 1", "count": count}
    )

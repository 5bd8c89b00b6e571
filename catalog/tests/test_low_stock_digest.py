"""The staff's daily low-stock digest: books at or under their own threshold, to every active staff
member, once a day, nobody mailed when no book is low; from the periodic job and from the command."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from accounts.factories import UserFactory
from catalog.digest import low_stock_digest_send
from catalog.factories import BookFactory
from catalog.tasks import send_low_stock_digest
from core.background import TICK_LOCK_KEY, EmbeddedScheduler
from notifications.models import EmailNotification

pytestmark = pytest.mark.django_db

SITE = "https://books.example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def staff_members():
    """Two active staff members; an inactive one and a customer get no digest."""
    UserFactory(is_staff=True, is_active=False, username="former")
    UserFactory(username="customer")
    return [UserFactory(is_staff=True, username="ana"), UserFactory(is_staff=True, username="ben")]


@pytest.fixture
def shelves():
    """Two low books (one sold out, one exactly at its threshold) and three that are not low."""
    return {
        "gone": BookFactory(title="Gone & Back", stock=0, low_stock_threshold=2),
        "edge": BookFactory(title="On the Edge", stock=5, low_stock_threshold=5),
        "fine": BookFactory(title="Plenty", stock=6, low_stock_threshold=5),
        "never": BookFactory(title="No Alarm", stock=1, low_stock_threshold=0),
        "hidden": BookFactory(title="Withdrawn", stock=0, low_stock_threshold=5, is_active=False),
    }


def _send(capture, **day) -> int:
    with capture(execute=True):
        return low_stock_digest_send(**day)


def test_the_digest_lists_the_low_books_to_each_active_staff_member(
    staff_members, shelves, django_capture_on_commit_callbacks
):
    assert _send(django_capture_on_commit_callbacks) == 2

    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in staff_members)
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert (
        message.subject.startswith("Low stock on ")
        and "2 books at or under their threshold" in message.subject
    )
    text = message.body
    # The emptiest shelf first; the books that are not low (or not sold any more) are not listed.
    assert text.index("Gone & Back by Jane Author: 0 in stock (threshold 2)") < text.index(
        "On the Edge by Jane Author: 5 in stock (threshold 5)"
    )
    for title in ("Plenty", "No Alarm", "Withdrawn"):
        assert title not in text and title not in html
    assert "Gone &amp; Back" in html
    change_url = f"{SITE}/admin/catalog/book/{shelves['gone'].pk}/change/"
    assert change_url in text and f'href="{change_url}"' in html
    assert "❦</span> Bookstore</a>" in html and "\n-- \n" in text  # the shop's layout


def test_once_a_day_per_staff_member(staff_members, shelves, django_capture_on_commit_callbacks):
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    assert _send(django_capture_on_commit_callbacks, day=monday) == 2
    assert _send(django_capture_on_commit_callbacks, day=monday) == 0  # again that day: nobody mailed twice

    assert len(mail.outbox) == 2
    assert sorted(EmailNotification.objects.values_list("key", flat=True)) == [
        f"low-stock-digest:2026-03-02:{member.pk}" for member in staff_members
    ]

    assert _send(django_capture_on_commit_callbacks, day=tuesday) == 2  # the next day's digest
    assert len(mail.outbox) == 4
    assert "Low stock on 3 March 2026" in mail.outbox[-1].subject


def test_nobody_is_mailed_when_no_book_is_low(staff_members, django_capture_on_commit_callbacks):
    BookFactory(stock=6, low_stock_threshold=5)

    assert _send(django_capture_on_commit_callbacks) == 0

    assert mail.outbox == [] and not EmailNotification.objects.exists()


def test_the_periodic_job_and_the_command_send_the_same_digest_once(
    staff_members, shelves, django_capture_on_commit_callbacks
):
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        send_low_stock_digest()  # what beat (or the embedded scheduler) runs
        call_command("send_low_stock_digest", stdout=out)  # cron, the same day

    assert out.getvalue().strip() == "Queued 0 low-stock digest(s)."
    assert len(mail.outbox) == 2


def test_the_embedded_scheduler_runs_it_daily_from_the_beat_schedule(
    settings, staff_members, shelves, django_capture_on_commit_callbacks
):
    entry = settings.CELERY_BEAT_SCHEDULE["send-low-stock-digest"]
    settings.CELERY_BEAT_SCHEDULE = {"send-low-stock-digest": entry}  # the digest alone
    scheduler, seen = EmbeddedScheduler(), datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    with django_capture_on_commit_callbacks(execute=True):
        ran = [
            _tick(scheduler, seen + later)
            for later in (
                timedelta(0),
                timedelta(hours=18),
                timedelta(hours=19, minutes=1),
                timedelta(hours=20),
            )
        ]

    assert ran == [[], [], ["send-low-stock-digest"], []]  # first seen at noon; due at 07:00 the next day
    assert len(mail.outbox) == 2


def _tick(scheduler: EmbeddedScheduler, now: datetime) -> list[str]:
    cache.delete(TICK_LOCK_KEY)  # each call is a later tick
    return scheduler.tick(now=now)

"""Delivery against a real SMTP server (tests_support/smtp.py) that goes down and comes back: a failing
send is retried with exponential backoff until the retry window closes, then marked failed and logged;
a claimed notification is never sent twice at once; a sent one is never sent again. Time is a clock
passed in, never slept."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command

from notifications.delivery import SENDING_TIMEOUT, notification_deliver, notifications_deliver_due
from notifications.models import EmailNotification, NotificationStatus
from notifications.services import notifications_retry
from tests_support.smtp import text_and_html
from tests_support.threads import race

from .conftest import notify

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)


@pytest.fixture
def failed_once(smtp_server, django_capture_on_commit_callbacks):
    """A notification whose first delivery, right after its transaction, met the mail server down."""
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        notify()
    return EmailNotification.objects.get()


def test_a_send_that_fails_is_recorded_and_scheduled_a_minute_later(failed_once, smtp_server):
    row = failed_once
    assert (row.status, row.attempts, row.sent_at) == (NotificationStatus.PENDING, 1, None)
    assert "ConnectionRefusedError" in row.last_error
    assert (
        row.created_at + timedelta(minutes=1) <= row.next_attempt_at < row.created_at + timedelta(minutes=2)
    )
    assert smtp_server.messages == []


def test_failures_back_off_exponentially_then_the_notification_fails_after_24_hours(
    failed_once, smtp_server, caplog, settings
):
    settings.NOTIFICATION_RETRY_HOURS = 24
    row = failed_once
    gaps = []
    with caplog.at_level(logging.WARNING, logger="notifications"):
        while row.status == NotificationStatus.PENDING:
            clock = row.next_attempt_at
            assert notifications_deliver_due(now=clock - SECOND) == (0, 0)  # not due yet
            assert notifications_deliver_due(now=clock) == (0, 1)
            row.refresh_from_db()
            gaps.append(row.next_attempt_at - clock)

    # (The sweep's clock runs on by the real time it takes: microseconds, seconds on a loaded machine.)
    minutes = [round(gap / timedelta(minutes=1), 1) for gap in gaps[:-1]]
    assert minutes[:6] == [2, 4, 8, 16, 32, 60] and set(minutes[6:]) == {60}
    assert gaps[-1] < 5 * SECOND  # the last attempt: marked failed at that moment
    assert clock >= row.created_at + timedelta(hours=24) > clock - timedelta(hours=1)
    assert row.status == NotificationStatus.FAILED and row.attempts == len(gaps) + 1
    assert "ConnectionRefusedError" in row.last_error
    [error] = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert error.startswith(
        f"notification shelf:1:counted (notifications/email/shelf to ada@example.com) failed after "
        f"{row.attempts} attempt(s), given up: ConnectionRefusedError"
    )
    # A failed notification is not due any more: nothing sends it but staff's "retry now".
    assert notifications_deliver_due(now=clock + timedelta(days=7)) == (0, 0)
    assert smtp_server.messages == []


def test_the_mail_goes_out_once_the_server_is_back(failed_once, smtp_server):
    smtp_server.start()

    assert notifications_deliver_due(now=failed_once.next_attempt_at - SECOND) == (0, 0)
    assert notifications_deliver_due(now=failed_once.next_attempt_at) == (1, 1)
    assert notifications_deliver_due(now=failed_once.next_attempt_at + timedelta(days=2)) == (0, 0)

    row = EmailNotification.objects.get()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, "")
    [message] = smtp_server.messages
    assert (message["To"], message["Subject"]) == ("ada@example.com", "Shelf 1: 3 book(s)")
    assert message["From"] == "Bookstore <shop@bookstore.local>"
    assert message["Message-ID"].endswith("@bookstore.local>")
    text, html = text_and_html(message)
    assert "Shelf 1 holds 3 book(s)." in text and "<p>Shelf 1 holds 3 book(s).</p>" in html


def test_a_sweep_leaves_the_rest_for_later_after_three_failures_in_a_row(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=False):  # their queued deliveries lost
        for number in range(5):
            notify(f"shelf:{number}:counted")
    now = max(EmailNotification.objects.values_list("created_at", flat=True))

    assert notifications_deliver_due(now=now) == (0, 3)
    assert sorted(EmailNotification.objects.values_list("attempts", flat=True)) == [0, 0, 1, 1, 1]

    smtp_server.start()
    assert notifications_deliver_due(now=now) == (2, 2)  # the other three wait for their retry
    assert len(smtp_server.messages) == 2


def test_a_sent_notification_is_never_sent_again(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify()
    row = EmailNotification.objects.get()

    assert notification_deliver(notification_id=row.pk, now=row.created_at + timedelta(days=1)) is False
    assert notifications_retry(notification_ids=[row.pk]) == 0
    assert notifications_deliver_due(now=row.created_at + timedelta(days=1)) == (0, 0)

    assert len(smtp_server.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)


def test_a_claimed_notification_is_left_to_its_sender_until_the_claim_runs_out(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notify()  # committed, its queued delivery lost (a worker that died)
    row = EmailNotification.objects.get()
    claimed_at = row.created_at + SECOND
    # Another sender claims it as notification_deliver does, then dies before marking it sent.
    EmailNotification.objects.filter(pk=row.pk).update(
        status=NotificationStatus.SENDING, attempts=1, next_attempt_at=claimed_at + SENDING_TIMEOUT
    )

    assert notification_deliver(notification_id=row.pk, now=claimed_at + SECOND) is False
    assert notifications_deliver_due(now=claimed_at + SENDING_TIMEOUT - SECOND) == (0, 0)
    assert smtp_server.messages == []

    assert notifications_deliver_due(now=claimed_at + SENDING_TIMEOUT) == (1, 1)
    assert len(smtp_server.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)


def test_the_command_sends_what_is_due(failed_once, smtp_server, capsys):
    smtp_server.start()

    call_command("deliver_notifications")  # its clock is the real one: the retry is not due yet
    assert capsys.readouterr().out == "Sent 0 of 0 due email(s).\n"
    EmailNotification.objects.update(next_attempt_at=failed_once.created_at)
    call_command("deliver_notifications")

    assert capsys.readouterr().out == "Sent 1 of 1 due email(s).\n"
    assert len(smtp_server.messages) == 1


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_senders_racing_for_the_same_notification_send_it_once(smtp_server):
    smtp_server.stop()
    notify()  # autocommit: delivered at once, and failing
    smtp_server.start()
    row = EmailNotification.objects.get()

    outcomes = race(
        *[lambda: notification_deliver(notification_id=row.pk, now=row.next_attempt_at) for _ in range(4)]
    )

    assert sorted(outcomes) == [False, False, False, True]
    assert len(smtp_server.messages) == 1

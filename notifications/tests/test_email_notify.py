"""email_notify writes the rendered message into the outbox inside the caller's transaction; the
message is delivered once that transaction commits (eagerly in tests), once per key."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import EmailNotification, NotificationStatus
from notifications.services import email_notify

from .conftest import TEMPLATE, notify

pytestmark = pytest.mark.django_db


def test_the_message_is_rendered_into_the_outbox_and_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify()
        row = EmailNotification.objects.get()
        assert (row.status, row.attempts) == (NotificationStatus.PENDING, 0)
        assert mail.outbox == []

    assert len(callbacks) == 1
    row.refresh_from_db()
    assert (row.key, row.to, row.template) == ("shelf:1:counted", "ada@example.com", TEMPLATE)
    assert row.subject == "Shelf 1: 3 book(s)"
    assert "Shelf 1 holds 3 book(s)." in row.text and "<p>Shelf 1 holds 3 book(s).</p>" in row.html
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 1, "")
    assert row.sent_at >= row.created_at
    [message] = mail.outbox
    assert (message.subject, message.to, message.body) == (row.subject, ["ada@example.com"], row.text)
    assert message.alternatives[0] == (row.html, "text/html")


def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify()
        raise RuntimeError("the event's transaction fails after the email was asked for")

    assert callbacks == []
    assert not EmailNotification.objects.exists()
    assert mail.outbox == []


def test_the_same_key_twice_sends_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify(count=3)
            notify(count=3)
        with transaction.atomic():
            notify(count=4)  # the event again, later (a redelivered webhook, a second click)

    assert EmailNotification.objects.count() == 1
    assert [message.subject for message in mail.outbox] == ["Shelf 1: 3 book(s)"]


def test_other_keys_are_other_mails(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify("shelf:1:counted", to="ada@example.com")
        notify("shelf:2:counted", to="grace@example.com")

    assert sorted(message.to[0] for message in mail.outbox) == ["ada@example.com", "grace@example.com"]


def test_the_mail_shows_the_state_at_the_event(django_capture_on_commit_callbacks):
    context = {"name": "Ada", "shelf": "Shelf 1", "count": 3}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_notify(key="shelf:1:counted", to="ada@example.com", template=TEMPLATE, context=context)
        context["count"] = 0  # what changes later in the same transaction is not in this mail

    assert mail.outbox[0].subject == "Shelf 1: 3 book(s)"

"""Staff see the outbox in the admin, read-only, with the failed notifications in their own list, and
may retry failed ones; sent ones are never sent again from there."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from notifications.delivery import notifications_deliver_due
from notifications.models import EmailNotification, NotificationStatus

from .conftest import notify

pytestmark = pytest.mark.django_db
FAILED_LIST = reverse("admin:notifications_failedemailnotification_changelist")
ALL_LIST = reverse("admin:notifications_emailnotification_changelist")


@pytest.fixture
def failed_and_sent(smtp_server, django_capture_on_commit_callbacks, settings):
    """One notification given up on (the mail server was down for its whole window), one sent."""
    settings.NOTIFICATION_RETRY_HOURS = 0
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        notify("shelf:1:counted", to="ada@example.com")
    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        notify("shelf:2:counted", to="grace@example.com")
    failed, sent = EmailNotification.objects.order_by("pk")
    assert (failed.status, sent.status) == (NotificationStatus.FAILED, NotificationStatus.SENT)
    return failed, sent


def test_the_failed_list_shows_only_failed_notifications(admin_client, failed_and_sent):
    page = admin_client.get(FAILED_LIST).content.decode()

    assert "shelf:1:counted" in page and "ConnectionRefusedError" in page
    assert "shelf:2:counted" not in page
    everything = admin_client.get(ALL_LIST, {"status__exact": "sent"}).content.decode()
    assert "shelf:2:counted" in everything and "shelf:1:counted" not in everything
    found = admin_client.get(ALL_LIST, {"q": "grace@"}).content.decode()
    assert "shelf:2:counted" in found and "shelf:1:counted" not in found


def test_notifications_are_read_only(admin_client, failed_and_sent):
    failed, _sent = failed_and_sent
    change = reverse("admin:notifications_emailnotification_change", args=[failed.pk])

    page = admin_client.get(change)
    response = admin_client.post(change, {"to": "mallory@example.com"})

    assert page.status_code == 200 and b"Shelf 1 holds 3 book(s)." in page.content
    assert response.status_code == 403
    assert admin_client.get(reverse("admin:notifications_emailnotification_add")).status_code == 403
    delete = reverse("admin:notifications_emailnotification_delete", args=[failed.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    failed.refresh_from_db()
    assert failed.to == "ada@example.com"


def test_retry_now_sends_the_failed_one_and_leaves_the_sent_one(
    admin_client, failed_and_sent, smtp_server, django_capture_on_commit_callbacks
):
    failed, sent = failed_and_sent

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ALL_LIST, {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "1 notification(s) queued for sending; refresh to see the outcome.",
        "1 already sent or being sent: left alone.",
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (NotificationStatus.SENT, 2, "")
    assert sorted(message["To"] for message in smtp_server.messages) == [
        "ada@example.com",
        "grace@example.com",
    ]
    assert notifications_deliver_due(now=failed.created_at + timedelta(days=2)) == (0, 0)
    assert mail.outbox == []  # everything went through the SMTP server

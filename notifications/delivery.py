"""Sending the outbox's notifications: one at a time (claimed first, so never twice at once), or every
due one in a periodic sweep; failures are retried with exponential backoff, then given up on.

These run outside any transaction (a worker's task, a sweep, a command): the claim has to be visible to
other senders before the mail server is called, and the mail server is never called with locks held.
"""

import hashlib
import logging
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from .models import EmailNotification, NotificationStatus

logger = logging.getLogger(__name__)

FIRST_RETRY_DELAY = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=1)
# A claim older than this is a sender that died mid-way (an SMTP send is bounded by EMAIL_TIMEOUT).
SENDING_TIMEOUT = timedelta(minutes=10)
SWEEP_BATCH = 200
ERROR_MAX_CHARS = 2000


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one notification if it is due and nobody else is sending it; True when it went out.

    Must run outside any transaction: the claim has to be visible to other workers before the mail
    server is called, and the mail server must never be called with row locks held.
    """
    now = now or timezone.now()
    claimed = (
        EmailNotification.objects.filter(pk=notification_id)
        .filter(_due(now))
        .update(
            status=NotificationStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + SENDING_TIMEOUT,
        )
    )
    if not claimed:
        return False
    notification = EmailNotification.objects.get(pk=notification_id)
    try:
        _send(notification)
    # Any failure of the mail transport (refused, timed out, bad credentials, a backend's own error)
    # means "not sent": it is recorded on the row, retried, and in the end reported as failed.
    except Exception as exc:
        _record_failure(notification, error=f"{type(exc).__name__}: {exc}", now=now)
        return False
    EmailNotification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("notification %s (%s) sent to %s", notification.key, notification.template, notification.to)
    return True


def notifications_deliver_due(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> tuple[int, int]:
    """Send every notification that is due (and reclaim those whose sender died): `(sent, due)`."""
    now = now or timezone.now()
    due = list(
        EmailNotification.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(notification_deliver(notification_id=notification_id, now=now) for notification_id in due)
    return sent, len(due)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 ... minutes, at most an hour."""
    return min(FIRST_RETRY_DELAY * 2 ** min(attempts - 1, 20), MAX_RETRY_DELAY)


def _due(now: datetime) -> Q:
    """Waiting and due, or claimed by a sender whose claim has run out."""
    return Q(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING], next_attempt_at__lte=now)


def _send(notification: EmailNotification) -> None:
    message = EmailMultiAlternatives(
        notification.subject,
        notification.text,
        settings.DEFAULT_FROM_EMAIL,
        [notification.to],
        # The same Message-ID however often it is tried: a receiving server may drop a duplicate.
        headers={"Message-ID": _message_id(notification)},
    )
    if notification.html:
        message.attach_alternative(notification.html, "text/html")
    message.send()


def _message_id(notification: EmailNotification) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "bookstore.local"
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
    return f"<{digest}.{notification.pk}@{domain}>"


def _record_failure(notification: EmailNotification, *, error: str, now: datetime) -> None:
    attempts = notification.attempts
    give_up_at = notification.created_at + timedelta(hours=settings.NOTIFICATION_RETRY_HOURS)
    if now >= give_up_at:
        changes = {"status": NotificationStatus.FAILED, "next_attempt_at": now}
        logger.error(
            "notification %s (%s to %s) failed after %s attempt(s), given up: %s",
            notification.key,
            notification.template,
            notification.to,
            attempts,
            error,
        )
    else:
        changes = {"status": NotificationStatus.PENDING, "next_attempt_at": now + retry_delay(attempts)}
        logger.warning(
            "notification %s to %s: attempt %s failed, next at %s: %s",
            notification.key,
            notification.to,
            attempts,
            changes["next_attempt_at"].isoformat(),
            error,
        )
    EmailNotification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        last_error=error[:ERROR_MAX_CHARS], **changes
    )

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
# A sweep that meets this many failures in a row leaves the rest for the next sweep.
SWEEP_GIVES_UP_AFTER = 3
ERROR_MAX_CHARS = 2000


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one notification if it is due and nobody else is sending it; True when it went out."""
    now = now or timezone.now()
    notification = _claim(notification_id, now=now)
    return notification is not None and _send_claimed(notification, now=now)


def notifications_deliver_due(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> tuple[int, int]:
    """Send the notifications that are due (and reclaim those whose sender died): `(sent, tried)`.

    The clock runs on while the sweep sends, so late claims stay fresh. After a few failures in a row
    the mail server is taken to be down and the sweep stops: the rest stay due for the next one, and no
    worker spends its time on timeouts.
    """
    started = timezone.now()
    now = now or started
    due = list(
        EmailNotification.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = tried = failures_in_a_row = 0
    for notification_id in due:
        if failures_in_a_row == SWEEP_GIVES_UP_AFTER:
            logger.warning("notifications sweep: %s failures in a row, the rest wait", failures_in_a_row)
            break
        clock = now + (timezone.now() - started)
        notification = _claim(notification_id, now=clock)
        if notification is None:
            continue  # another sender has it
        tried += 1
        if _send_claimed(notification, now=clock):
            sent += 1
            failures_in_a_row = 0
        else:
            failures_in_a_row += 1
    return sent, tried


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 ... minutes, at most an hour."""
    return min(FIRST_RETRY_DELAY * 2 ** min(attempts - 1, 20), MAX_RETRY_DELAY)


def _due(now: datetime) -> Q:
    """Waiting and due, or claimed by a sender whose claim has run out."""
    return Q(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING], next_attempt_at__lte=now)


def _claim(notification_id: int, *, now: datetime) -> EmailNotification | None:
    """Take the notification for sending if it is due (pending → sending, one conditional UPDATE, so
    two senders never both have it); None when it is not due or another sender has it.

    Runs outside any transaction: the claim must be visible to other senders before the mail server is
    called, and the mail server is never called with row locks held.
    """
    claimed = (
        EmailNotification.objects.filter(pk=notification_id)
        .filter(_due(now))
        .update(
            status=NotificationStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + SENDING_TIMEOUT,
        )
    )
    return EmailNotification.objects.get(pk=notification_id) if claimed else None


def _send_claimed(notification: EmailNotification, *, now: datetime) -> bool:
    try:
        _send(notification)
    # Any failure of the mail transport (refused, timed out, bad credentials, a backend's own error)
    # means "not sent": it is recorded on the row, retried, and in the end reported as failed.
    except Exception as exc:
        _record_failure(notification, error=f"{type(exc).__name__}: {exc}", now=now)
        return False
    EmailNotification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("notification %s (%s) sent to %s", notification.key, notification.template, notification.to)
    return True


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

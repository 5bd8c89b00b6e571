"""Email about an event (an order placed, a book back in stock...), through a transactional outbox.

`email_notify` renders the message from its templates (text and HTML) and writes it as an
`EmailNotification` row inside the caller's transaction: a rolled-back transaction leaves no row and
sends nothing, and the message shows the state at the event however late it leaves. Once the
transaction commits, delivery is queued (notifications.tasks.deliver_notification). The row's `key` is
unique per event ("order:42:paid"): the same event is never mailed twice.

Delivery (notifications/delivery.py) claims the row with a conditional UPDATE (pending → sending), so two
workers never both send it, sends it outside any transaction, and marks it sent. A mail server that is
down or refuses costs the request nothing: the row is tried again after 1, 2, 4 ... minutes (at most an
hour apart) by the periodic sweep until NOTIFICATION_RETRY_HOURS after the
event, then marked failed and logged as an error; staff see it in the admin and may retry it.
"""

import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.background import task_enqueue_on_commit

from .models import EmailNotification, NotificationStatus
from .tasks import deliver_notification

logger = logging.getLogger(__name__)


def email_notify(*, key: str, to: str, template: str, context: dict) -> bool:
    """Render `<template>_subject.txt`, `.txt` and `.html` for `to` into the outbox, to be sent once the
    transaction commits; True when it did. A second call with the same `key` changes nothing (False).

    Every HTML template extends notifications/email/base.html and every text one base.txt: the shop's
    one email layout (brand, colours, footer links), with absolute links from SITE_URL."""
    if EmailNotification.objects.filter(key=key).exists():
        return False
    now = timezone.now()
    notification, created = EmailNotification.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "template": template,
            "subject": " ".join(render_to_string(f"{template}_subject.txt", context).split()),
            "text": render_to_string(f"{template}.txt", context),
            "html": render_to_string(f"{template}.html", context),
            "next_attempt_at": now,
            "created_at": now,
        },
    )
    if created:
        task_enqueue_on_commit(deliver_notification, notification.pk)
    return created


def notifications_retry(*, notification_ids: list[int]) -> int:
    """Staff's "retry now": failed (or waiting) notifications become due at once and are queued; sent
    ones and those being sent are left alone, so this never mails an event twice. Returns how many.

    One more failure after the retry window marks the notification failed again, with the new error.
    """
    with transaction.atomic():
        retried = list(
            EmailNotification.objects.select_for_update()
            .filter(
                pk__in=notification_ids, status__in=[NotificationStatus.FAILED, NotificationStatus.PENDING]
            )
            .values_list("pk", flat=True)
        )
        EmailNotification.objects.filter(pk__in=retried).update(
            status=NotificationStatus.PENDING, next_attempt_at=timezone.now()
        )
        for notification_id in retried:
            task_enqueue_on_commit(deliver_notification, notification_id)
    logger.info("notifications %s queued again by staff", retried)
    return len(retried)

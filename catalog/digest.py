"""The staff's daily low-stock digest: the books at or under their own `low_stock_threshold`
(`catalog.selectors.low_stock_books`), emailed to every active staff member once a day.

Run by the periodic job `catalog.tasks.send_low_stock_digest` (settings.CELERY_BEAT_SCHEDULE, so also by
the embedded scheduler) and by `manage.py send_low_stock_digest` for cron. Each email's key names the
day and the recipient, so running it again the same day (a second scheduler, cron and beat both, a
retry) mails no one twice; a day with no low book mails nobody.
"""

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from notifications.services import email_notify

from .selectors import low_stock_books

logger = logging.getLogger(__name__)


@transaction.atomic
def low_stock_digest_send(*, day: date | None = None) -> int:
    """Queue the digest of `day` (today) for each active staff member with an email address; returns
    how many this run queued (0 when no book is low, or when that day's went out already)."""
    books = list(low_stock_books())
    if not books:
        logger.info("low-stock digest: no book is low, nothing sent")
        return 0
    day = day or timezone.localdate()
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="").order_by("pk")
    queued = 0
    for member in staff:
        queued += email_notify(
            key=f"low-stock-digest:{day.isoformat()}:{member.pk}",
            template="catalog/email/low_stock_digest",
            to=member.email,
            context={"user": member, "books": books, "day": day},
        )
    logger.info("low-stock digest of %s: %s book(s) low, %s digest(s) queued", day, len(books), queued)
    return queued

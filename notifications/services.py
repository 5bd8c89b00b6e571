"""Email about an event (an order placed, a book back in stock...): rendered from templates (text and
HTML) and sent once the surrounding transaction commits, never inside it.

Every message names its event with a `key` that is unique per event ("order:42:paid"): the same event
is never mailed twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def email_notify(*, key: str, to: str, template: str, context: dict) -> None:
    """Render `<template>_subject.txt`, `.txt` and `.html` for `to`, to be sent once the transaction
    commits. A rolled-back transaction sends nothing; outside a transaction the mail is sent at once.
    A mail server that fails never fails the request whose transaction has already committed."""

    # A function, not a functools.partial: Django names a failed robust callback by its __qualname__,
    # which a partial lacks, and that AttributeError would fail the request after all.
    def send_after_commit():
        _send(key=key, template=template, to=to, context=context)

    transaction.on_commit(send_after_commit, robust=True)


def _send(*, key: str, template: str, to: str, context: dict) -> None:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text_body = render_to_string(f"{template}.txt", context)
    html_body = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text_body, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("mail %s (%s) sent to %s", key, template, to)

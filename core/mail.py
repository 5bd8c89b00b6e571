"""Templated email (text + HTML) that leaves only after the surrounding transaction commits."""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def mail_send_on_commit(*, template: str, to: list[str], context: dict) -> None:
    """Render `<template>_subject.txt`, `.txt` and `.html` and send them once the transaction commits.

    A rolled-back transaction sends nothing; outside a transaction the mail is sent at once.
    """
    transaction.on_commit(partial(_send, template=template, to=to, context=context))


def _send(*, template: str, to: list[str], context: dict) -> None:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text_body = render_to_string(f"{template}.txt", context)
    html_body = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text_body, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("mail %s sent to %s", template, ", ".join(to))

"""An email backend as slow as a remote SMTP server (SLOW_MAIL_SECONDS per message), delivering to
Django's test outbox: to show that a request does not wait for its mail."""

import time

from django.core.mail.backends.locmem import EmailBackend

SLOW_MAIL_SECONDS = 0.4


class SlowEmailBackend(EmailBackend):
    def send_messages(self, messages):
        time.sleep(SLOW_MAIL_SECONDS * len(messages))
        return super().send_messages(messages)

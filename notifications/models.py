"""The email outbox: one row per event's message, written in the event's transaction, sent after it."""

from django.db import models


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class EmailNotification(models.Model):
    """A rendered email waiting to be sent, being sent, sent or given up on.

    `key` names the event ("order:42:paid") and is unique, so an event is mailed at most once. Subject
    and bodies are rendered when the event happens, so the mail shows the state at that moment however
    late it leaves. `next_attempt_at` is when a pending row is due; for a row being sent it is when its
    claim expires (a sender that crashed mid-way leaves it to be claimed again then).
    """

    key = models.CharField(max_length=255, unique=True)
    to = models.EmailField()
    template = models.CharField(max_length=200)
    subject = models.CharField(max_length=998)
    text = models.TextField()
    html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=NotificationStatus, default=NotificationStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.key} to {self.to} ({self.status})"


class FailedEmailNotification(EmailNotification):
    """The emails given up on after their retry window: their own list in the admin, for staff."""

    class Meta:
        proxy = True
        verbose_name = "failed notification"
        verbose_name_plural = "failed notifications"

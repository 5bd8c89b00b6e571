"""Celery tasks of the email outbox: thin doors onto notifications.delivery, taking ids only."""

from celery import shared_task

from .delivery import notification_deliver, notifications_deliver_due


@shared_task
def deliver_notification(notification_id: int) -> None:
    """Send one notification, queued when its event's transaction committed (a no-op once sent)."""
    notification_deliver(notification_id=notification_id)


@shared_task
def deliver_due_notifications() -> None:
    """The periodic sweep: retries that are due, and mail whose queued task was lost."""
    notifications_deliver_due()

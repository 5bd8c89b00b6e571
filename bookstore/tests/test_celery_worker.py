"""A real Celery worker, consuming from the local Redis, delivers the email of a real event: the
request queues the delivery on commit and answers, the worker sends it, once.

The worker runs in a thread of this process (celery.contrib.testing), so its mail lands in Django's
test outbox. It consumes a queue of its own, so other workers on the same Redis never see its tasks.
TEST_REDIS_URL picks the Redis (default: the local one).
"""

import os
import time
from datetime import timedelta
from uuid import uuid4

import pytest
from celery import Celery, current_app
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.services import password_reset_mail
from core.background import TICK_LOCK_KEY, EmbeddedScheduler
from notifications.models import EmailNotification, NotificationStatus

DELIVER = "notifications.tasks.deliver_notification"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def celery_worker(settings):
    """The project's Celery configuration on Redis, tasks published for real, and a worker consuming."""
    settings.BACKGROUND_TASKS = "celery"
    app = Celery("bookstore-test-worker", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=TEST_REDIS_URL,
        task_always_eager=False,
        task_default_queue=f"bookstore-test-{uuid4().hex}",
        worker_enable_remote_control=False,
    )
    project_app = current_app._get_current_object()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        project_app.set_current()
        project_app.set_default()
        app.close()


def _wait_for(predicate, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the worker did not deliver in time"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_delivers_the_password_reset_mail(celery_worker, api_client):
    user = UserFactory()
    handled_before = worker_state.total_count[DELIVER]

    response = api_client.post("/api/auth/password-reset/", {"email": user.email}, format="json")

    assert response.status_code == 204
    _wait_for(lambda: mail.outbox)
    _wait_for(lambda: EmailNotification.objects.get().status == NotificationStatus.SENT)
    [message] = mail.outbox
    assert message.to == [user.email] and message.subject == "Reset your Bookstore password"
    row = EmailNotification.objects.get()
    assert row.attempts == 1 and row.sent_at is not None
    assert worker_state.total_count[DELIVER] == handled_before + 1  # the worker did it, not the request


def test_every_periodic_job_names_a_task_a_worker_knows(settings):
    current_app.autodiscover_tasks(force=True)

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in current_app.tasks, name


@pytest.mark.django_db
def test_without_a_broker_the_web_process_runs_the_periodic_jobs(
    settings, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):  # its queued delivery is lost
        password_reset_mail(email=user.email)  # the reset task: its mail written to the outbox
    scheduler, start = EmbeddedScheduler(), timezone.now()

    for minutes in (0, 2 * 24 * 60):  # seen, then due (the daily jobs too)
        cache.delete(TICK_LOCK_KEY)
        ran = scheduler.tick(now=start + timedelta(minutes=minutes))

    assert sorted(ran) == sorted(settings.CELERY_BEAT_SCHEDULE)
    assert [message.to for message in mail.outbox] == [[user.email]]

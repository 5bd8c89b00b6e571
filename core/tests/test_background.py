"""core.background: tasks queued after commit run on the broker, or without one in daemon threads of
this process; a broker that does not answer never fails the caller; the embedded scheduler runs each
periodic job once per period, in one process at a time."""

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from celery import Celery, shared_task
from django.core.cache import cache
from django.db import transaction

from core.background import (
    TICK_LOCK_KEY,
    EmbeddedScheduler,
    background_threads,
    task_enqueue,
    task_enqueue_on_commit,
)

calls: list[tuple] = []
release = threading.Event()


@shared_task
def record(value: int) -> None:
    """Waits for the test to let it go, so the test knows its caller did not wait for it."""
    release.wait(5)
    calls.append((value, threading.current_thread().name))


@shared_task
def explode(value: int) -> None:
    raise RuntimeError(f"task {value} failed")


@pytest.fixture(autouse=True)
def _fresh_calls():
    calls.clear()
    release.clear()
    yield
    release.set()
    background_threads.wait(10)


@pytest.fixture
def embedded(settings):
    settings.BACKGROUND_TASKS = "embedded"


@pytest.mark.django_db
def test_without_a_broker_the_task_runs_in_a_background_thread_after_commit(
    embedded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        task_enqueue_on_commit(record, 7)
        assert calls == []

    assert calls == []  # the caller went on without waiting
    release.set()
    assert background_threads.wait(5)
    [(value, thread)] = calls
    assert value == 7 and thread.startswith("background-")


@pytest.mark.django_db
def test_a_rolled_back_transaction_queues_nothing(embedded, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        task_enqueue_on_commit(record, 7)
        raise RuntimeError("rolled back")

    release.set()
    assert callbacks == [] and background_threads.wait(5) and calls == []


def test_a_failing_task_is_logged_and_the_threads_go_on(embedded, caplog):
    release.set()
    with caplog.at_level(logging.ERROR, logger="core.background"):
        task_enqueue(explode, 1)
        task_enqueue(record, 2)
        assert background_threads.wait(5)

    assert [value for value, _thread in calls] == [2]
    assert [record.getMessage() for record in caplog.records] == [
        "background task core.tests.test_background.explode(1,) failed"
    ]


def test_a_broker_that_does_not_answer_is_logged_and_the_caller_goes_on(settings, caplog):
    settings.BACKGROUND_TASKS = "celery"
    unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0", set_as_current=False)
    unreachable.conf.update(
        broker_connection_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        broker_transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        task_publish_retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
    )

    @unreachable.task(name="unreachable.noop")
    def task():
        """Never runs: it cannot even be queued."""

    started = time.monotonic()

    with caplog.at_level(logging.WARNING, logger="core.background"):
        task_enqueue(task)

    assert time.monotonic() - started < 5
    [warning] = caplog.records
    assert warning.getMessage().startswith("task unreachable.noop() not queued, the broker did not answer")


@pytest.fixture
def every_minute(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "record-every-minute": {"task": record.name, "schedule": 60.0, "args": (1,)},
        "record-hourly": {"task": record.name, "schedule": timedelta(hours=1), "args": (2,)},
    }
    release.set()
    return datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _tick(scheduler: EmbeddedScheduler, now: datetime) -> list[str]:
    cache.delete(TICK_LOCK_KEY)  # each call below is a later tick
    return scheduler.tick(now=now)


def test_the_scheduler_runs_each_job_once_per_period(every_minute):
    start, scheduler = every_minute, EmbeddedScheduler()

    assert _tick(scheduler, start) == []  # first seen: runs one period later, as with celery beat
    assert _tick(scheduler, start + timedelta(seconds=30)) == []
    assert _tick(scheduler, start + timedelta(seconds=60)) == ["record-every-minute"]
    assert _tick(scheduler, start + timedelta(seconds=90)) == []
    assert _tick(scheduler, start + timedelta(seconds=120)) == ["record-every-minute"]
    assert _tick(scheduler, start + timedelta(hours=1)) == ["record-every-minute", "record-hourly"]

    assert [value for value, _thread in calls] == [1, 1, 1, 2]


def test_only_one_process_of_the_machine_takes_a_tick(every_minute):
    start = every_minute
    _tick(EmbeddedScheduler(), start)

    first, second = EmbeddedScheduler(), EmbeddedScheduler()  # two web processes sharing the cache
    assert _tick(first, start + timedelta(minutes=1)) == ["record-every-minute"]
    assert second.tick(now=start + timedelta(minutes=5)) == []  # the tick's lock is taken

    assert len(calls) == 1

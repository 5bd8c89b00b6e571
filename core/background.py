"""Work that runs outside the request: Celery tasks, queued after commit, on a broker or in this process.

`task_enqueue_on_commit(task, *ids)` is how a service hands work to the background. Where it runs
depends on settings.BACKGROUND_TASKS:

- "celery" (a broker is configured: REDIS_URL or CELERY_BROKER_URL): the task is published to the
  broker and a `celery worker` runs it; `celery beat` queues the periodic jobs. A broker that does not
  answer is logged and the request goes on: every task here has a periodic sweep that catches up.
  (Tests make Celery run tasks eagerly, in the caller, with CELERY_TASK_ALWAYS_EAGER.)
- "embedded" (no broker, one machine): the task runs in a small pool of daemon threads of the process
  that queued it, and `EmbeddedScheduler` (started by the WSGI/ASGI application on its first request)
  runs settings.CELERY_BEAT_SCHEDULE in a thread of each web process, one process per tick thanks to a
  lock in the shared cache. Work still queued when a process stops is not lost when its task keeps its
  state in the database (the email outbox does): the next sweep picks it up.
"""

import atexit
import copy
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

POOL_THREADS = 2
# How long a stopping process waits for its queued tasks (an SMTP send is bounded by EMAIL_TIMEOUT).
EXIT_WAIT_SECONDS = 15
TICK_SECONDS = 10
TICK_LOCK_KEY = "background:scheduler-tick"
LAST_RUN_KEY = "background:last-run:{name}"


def task_enqueue_on_commit(task, *args) -> None:
    """Queue the Celery `task` with `args` (ids, never model instances) once the transaction commits;
    a rolled-back transaction queues nothing. Outside a transaction it is queued at once."""

    # A function, not a functools.partial: Django names a failed robust callback by its __qualname__,
    # which a partial lacks, and that AttributeError would fail the committed request after all.
    def enqueue_after_commit():
        task_enqueue(task, *args)

    transaction.on_commit(enqueue_after_commit, robust=True)


def task_enqueue(task, *args) -> None:
    """Hand `task(*args)` to the broker, or to this process's background threads without one."""
    if settings.BACKGROUND_TASKS == "celery":
        try:
            task.apply_async(args=args)
        except BrokerUnavailable as exc:
            logger.warning("task %s%s not queued, the broker did not answer: %s", task.name, args, exc)
    else:
        background_threads.submit(task, *args)


class DaemonThreads:
    """A few daemon threads running submitted calls in arrival order, started lazily in each process
    (a fork gets its own). A failing call is logged; each call's database connections are closed after
    it, so a thread never holds one between tasks."""

    def __init__(self, size: int):
        self._size = size
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._unfinished = 0
        self._idle = threading.Condition(self._lock)

    def submit(self, function: Callable, *args) -> None:
        with self._lock:
            if self._pid != os.getpid():
                self._start()
            self._unfinished += 1
            self._queue.put((function, args))

    def wait(self, timeout: float) -> bool:
        """Wait until every submitted call has finished (True), or `timeout` seconds (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0, timeout)

    def _start(self) -> None:
        self._pid = os.getpid()
        self._queue = queue.SimpleQueue()
        self._unfinished = 0
        for number in range(self._size):
            threading.Thread(target=self._work, name=f"background-{number}", daemon=True).start()
        atexit.register(self.wait, EXIT_WAIT_SECONDS)

    def _work(self) -> None:
        while True:
            function, args = self._queue.get()
            try:
                function(*args)
            except Exception:
                logger.exception("background task %s%s failed", getattr(function, "name", function), args)
            finally:
                connections.close_all()
                with self._idle:
                    self._unfinished -= 1
                    self._idle.notify_all()


background_threads = DaemonThreads(POOL_THREADS)


class EmbeddedScheduler:
    """settings.CELERY_BEAT_SCHEDULE run without `celery beat`: a daemon thread per web process wakes
    every TICK_SECONDS; the process that takes the tick's lock in the shared cache runs the jobs that
    are due (their last runs are kept in that cache too), so the machine runs each job once per period
    however many processes serve it. A job's first run comes one period after it is first seen, as
    with celery beat."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pid: int | None = None

    def ensure_started(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="background-scheduler", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            try:
                self.tick()
            except Exception:
                logger.exception("background scheduler: tick failed")
            finally:
                connections.close_all()

    def tick(self, *, now: datetime | None = None) -> list[str]:
        """Run the jobs that are due, if no other process has this tick; the names of those run."""
        if not cache.add(TICK_LOCK_KEY, os.getpid(), timeout=TICK_SECONDS - 1):
            return []
        now = now or datetime.now(UTC)
        current_app.autodiscover_tasks(force=True)
        ran = []
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            last_run_key = LAST_RUN_KEY.format(name=name)
            last_run = cache.get(last_run_key)
            if last_run is None:  # first seen: its first run comes one period later
                cache.set(last_run_key, now, timeout=None)
                continue
            if not _is_due(entry["schedule"], last_run=last_run, now=now):
                continue
            cache.set(last_run_key, now, timeout=None)
            try:
                current_app.tasks[entry["task"]](*entry.get("args", ()), **entry.get("kwargs", {}))
            except Exception:
                logger.exception("background scheduler: %s (%s) failed", name, entry["task"])
            ran.append(name)
        return ran


def _is_due(schedule, *, last_run: datetime, now: datetime) -> bool:
    """Celery's own answer (an interval in seconds, a timedelta or a crontab), on our clock."""
    job_schedule = copy.copy(maybe_schedule(schedule))
    job_schedule.nowfun = lambda: now
    due, _next_check = job_schedule.is_due(last_run)
    return due


embedded_scheduler = EmbeddedScheduler()

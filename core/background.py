"""Work that must not hold up (or time) the request that causes it, until a task queue takes it over.

`background_run(func, **kwargs)` starts `func(**kwargs)` in a thread of its own once the caller's
transaction commits (at once outside one): the request answers without waiting for it, and its
failure is logged, never the request's. The thread closes its database connections when done.

It runs in the web process, so a worker that is stopped mid-task loses it; a Celery task replaces it
when the shop gets its queue. With BACKGROUND_TASKS_EAGER (the tests) it runs at once, in the caller.
"""

import logging
import threading

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)


def background_run(func, /, **kwargs) -> None:
    # A function, not a partial: Django logs a failed robust callback by its __qualname__.
    def start_after_commit():
        _start(func, kwargs)

    transaction.on_commit(start_after_commit, robust=True)


def _start(func, kwargs: dict) -> None:
    if settings.BACKGROUND_TASKS_EAGER:
        _run(func, kwargs, close_connections=False)
        return
    threading.Thread(
        target=_run, args=(func, kwargs), name=f"background {func.__name__}", daemon=True
    ).start()


def _run(func, kwargs: dict, *, close_connections: bool = True) -> None:
    try:
        func(**kwargs)
    except Exception:
        logger.exception("background task %s failed", func.__name__)
    finally:
        if close_connections:
            connections.close_all()

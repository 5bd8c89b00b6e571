"""Shopper insights: counting what shoppers do, and moving the counts into daily tables.

Recording (`book_view_record`, `cart_add_record`, `order_line_record`, `search_record`) costs no database
write: each event adds 1 to this process's tally, and the first event after INSIGHTS_PUSH_SECONDS hands
a push of the tally to the process's background threads (core/background.py), which add it to counters
in the shared `default` cache (`cache.incr`, or `cache.add` for the day's first; both atomic on Redis and
on the local-memory cache; the database cache Django falls back to is exact only without concurrent
writers). So a page view costs no cache round trip, and no shopper's request waits for a push either: a
push makes a few round trips per book or query counted (with the database cache, about 2 ms each: over
a second for the 300-odd books a busy worker sees in 5 s). A process that is killed loses the events of
its last few seconds; one that exits normally pushes them first, and one that goes quiet pushes them
with its next event (or exit). With INSIGHTS_PUSH_SECONDS = 0 every event is pushed at once, by the
request that records it. A counter
is named by the day, the kind of event and the book id or the search query, never by who did it: no user,
session or address is kept. The recording runs after the surrounding transaction commits (a rolled-back
cart add or a retried checkout counts once or not at all), and a cache that fails is logged and never
fails the shopper's request.

Each day's counters are listed in the cache too (a counter of slots, and the slots), because a cache
cannot list its keys. `insights_flush` (`manage.py flush_insights`; run it every few minutes from the
task scheduler) takes what every counter of today and yesterday holds, subtracts exactly that from the
counter with `decr` (so events counted meanwhile stay for the next run) and adds it to the daily tables.
One flush runs at a time (a cache lock). Counters live COUNTER_DAYS days, so a flush must run at least
daily or those counts are lost.
"""

import atexit
import hashlib
import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from core.background import background_threads

from .models import SEARCH_QUERY_MAX_LENGTH, DailyBookStats, DailySearchStats

logger = logging.getLogger(__name__)

PREFIX = "insights"
COUNTER_DAYS = 3
COUNTER_SECONDS = COUNTER_DAYS * 24 * 3600
FLUSHED_DAYS = 2  # today and yesterday: a counter of the day before yesterday may be a flush late
FLUSH_LOCK_SECONDS = 15 * 60

BOOK_KINDS = {"view": "views", "cart": "cart_adds", "order": "orders"}
SEARCH_KINDS = {"search": "searches", "search_empty": "no_results"}


# --- Recording -------------------------------------------------------------------------------------


def book_view_record(*, book_id: int) -> None:
    """A shopper opened the book's page."""
    _record("view", book_id)


def cart_add_record(*, book_id: int) -> None:
    """A shopper put copies of the book in a cart (an account's or an anonymous one)."""
    _record("cart", book_id)


def order_line_record(*, book_id: int) -> None:
    """An order was placed with the book in it."""
    _record("order", book_id)


def search_record(*, query: str, results: int) -> None:
    """A shopper searched the catalog for `query` and found `results` books. A query that looks like an
    email address is not kept (people paste their own into search boxes)."""
    query = search_query_normalize(query)
    if not query or "@" in query:
        return
    _record("search", query)
    if results == 0:
        _record("search_empty", query)


def search_query_normalize(query: str) -> str:
    """How queries are counted: lower case, spaces collapsed, at most SEARCH_QUERY_MAX_LENGTH characters."""
    return " ".join(query.lower().split())[:SEARCH_QUERY_MAX_LENGTH].strip()


def _record(kind: str, subject: int | str) -> None:
    transaction.on_commit(partial(_count, timezone.localdate(), kind, subject), robust=True)


def _counter_key(day: date, kind: str, subject: int | str) -> str:
    name = subject if isinstance(subject, int) else hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"{PREFIX}:{day.isoformat()}:{kind}:{name}"


# This process's events not yet in the shared counters: (day, kind, subject) → events.
_tally: Counter = Counter()
_tally_lock = threading.Lock()
_pushed_at = time.monotonic()


def _count(day: date, kind: str, subject: int | str) -> None:
    with _tally_lock:
        _tally[(day, kind, subject)] += 1
    seconds = settings.INSIGHTS_PUSH_SECONDS
    if not seconds:
        insights_push()
    elif _push_due(seconds):
        background_threads.submit(insights_push)


def _push_due(seconds: int) -> bool:
    """Whether a push is due, True once per period: the events meanwhile do not queue another."""
    global _pushed_at
    with _tally_lock:
        if time.monotonic() - _pushed_at < seconds:
            return False
        _pushed_at = time.monotonic()
        return True


@atexit.register
def insights_push() -> None:
    """Add this process's tally to the shared counters (what `insights_flush` reads)."""
    global _pushed_at
    with _tally_lock:
        taken = dict(_tally)
        _tally.clear()
        _pushed_at = time.monotonic()
    for (day, kind, subject), events in taken.items():
        try:
            _add(day, kind, subject, events)
        except Exception:  # a cache that fails loses these events, never the process
            logger.exception("insights: %s %s event(s) of %s lost", events, kind, day)


def _add(day: date, kind: str, subject: int | str, events: int) -> None:
    key = _counter_key(day, kind, subject)
    for _attempt in range(2):
        try:
            cache.incr(key, events)  # the usual case: counted earlier today
            return
        except ValueError:  # no such counter yet (or it expired)
            pass
        if cache.add(key, events, COUNTER_SECONDS):  # the day's first: list it for the flush
            _list(day, key, kind, subject)
            return
        # another process started it between the two calls: add to theirs


def _list(day: date, key: str, kind: str, subject: int | str) -> None:
    slots = f"{PREFIX}:{day.isoformat()}:slots"
    cache.add(slots, 0, COUNTER_SECONDS)
    slot = cache.incr(slots)
    cache.set(f"{slots}:{slot}", (key, kind, subject), COUNTER_SECONDS)


# --- Flushing --------------------------------------------------------------------------------------


@dataclass
class FlushReport:
    book_rows: int = 0
    search_rows: int = 0
    events: int = 0
    skipped: bool = False  # another flush was running


def insights_flush(
    *, today: date | None = None, progress: Callable[[int], None] = lambda rows: None
) -> FlushReport:
    """Move the counted events of today and yesterday into the daily tables (see the module docstring).

    The hook for the task scheduler: a periodic task calls this, as `manage.py flush_insights` does.
    """
    report = FlushReport()
    insights_push()  # this process's own events, at least
    lock = f"{PREFIX}:flush-lock"
    if not cache.add(lock, 1, FLUSH_LOCK_SECONDS):
        report.skipped = True
        return report
    try:
        today = today or timezone.localdate()
        for day in (today - timedelta(days=back) for back in range(FLUSHED_DAYS)):
            _flush_day(day, report, progress)
    finally:
        cache.delete(lock)
    return report


def _flush_day(day: date, report: FlushReport, progress: Callable[[int], None]) -> None:
    slots = f"{PREFIX}:{day.isoformat()}:slots"
    listed = cache.get_many([f"{slots}:{slot}" for slot in range(1, (cache.get(slots) or 0) + 1)])
    entries = list(listed.values())
    counts = cache.get_many([key for key, _kind, _subject in entries])
    taken = []
    for key, kind, subject in entries:
        value = counts.get(key) or 0
        if value > 0:
            cache.decr(key, value)  # claimed: what is counted from now on waits for the next flush
            taken.append((key, kind, subject, value))
    if not taken:
        return
    try:
        with transaction.atomic():
            _add_to_tables(day, taken, report, progress)
    except DatabaseError:
        for key, _kind, _subject, value in taken:  # given back, for the next flush
            cache.incr(key, value)
        raise
    report.events += sum(value for *_rest, value in taken)


def _add_to_tables(day: date, taken: list, report: FlushReport, progress: Callable[[int], None]) -> None:
    books: dict[int, dict[str, int]] = defaultdict(dict)
    searches: dict[str, dict[str, int]] = defaultdict(dict)
    for _key, kind, subject, value in taken:
        if kind in BOOK_KINDS:
            books[subject][BOOK_KINDS[kind]] = value
        else:
            searches[subject][SEARCH_KINDS[kind]] = value
    for model, field, rows in ((DailyBookStats, "book_id", books), (DailySearchStats, "query", searches)):
        model.objects.bulk_create(
            [model(day=day, **{field: subject}) for subject in rows], ignore_conflicts=True
        )
        for subject, values in rows.items():
            model.objects.filter(day=day, **{field: subject}).update(
                **{name: F(name) + value for name, value in values.items()}
            )
            progress(1)
    report.book_rows += len(books)
    report.search_rows += len(searches)

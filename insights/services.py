"""Shopper insights: counting what shoppers do, per book or search query and per day.

Recording (`book_view_record`, `cart_add_record`, `order_line_record`, `search_record`) costs the
shopper's request no database write and no cache round trip: each event adds 1 to this process's tally,
after the surrounding transaction commits (a rolled-back cart add or a retried checkout counts once or
not at all). The first event into an empty tally sets a timer: INSIGHTS_PUSH_SECONDS later the process's
background threads (core/background.py) add the whole tally to the daily tables (`DailyBookStats`,
`DailySearchStats`) in one transaction, with one statement per table that inserts the day's new rows
and adds to the existing ones, however many books were counted. (Pushing to counters in the database
cache took a few round trips per book: 0.7-1.3 s for the 500 books a busy worker saw in 5 s, and a
recycled worker held the port for as long while it pushed at exit.) So the tables are at most
INSIGHTS_PUSH_SECONDS behind the shop. A push the database refuses (a deadlock with another process's
push, an outage) is logged and given back to the tally for the next one. A process that exits normally
pushes its tally first; one that is killed loses its last few seconds. With INSIGHTS_PUSH_SECONDS = 0
every event is pushed at once, by the request that records it.

A row is named by the day and the book id or the search query, never by who did it: no user, session or
address is kept, and a query that looks like an email address is not counted.
"""

import atexit
import logging
import os
import threading
from collections import Counter, defaultdict
from datetime import date
from functools import partial

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from core.background import background_threads

from .models import SEARCH_QUERY_MAX_LENGTH, DailyBookStats, DailySearchStats

logger = logging.getLogger(__name__)

# The kinds of event, and the column of the daily table that counts each.
BOOK_KINDS = {"view": "views", "cart": "cart_adds", "order": "orders"}
SEARCH_KINDS = {"search": "searches", "search_empty": "no_results"}
ROWS_PER_STATEMENT = 500


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


# This process's events not yet in the daily tables: (day, kind, subject) → events.
_tally: Counter = Counter()
_tally_lock = threading.Lock()
_push_timer: threading.Timer | None = None  # the next push's (once it fires, the push is queued)
_exiting = False  # the last push: no timer starts after it


def _count(day: date, kind: str, subject: int | str) -> None:
    seconds = settings.INSIGHTS_PUSH_SECONDS
    with _tally_lock:
        _tally[(day, kind, subject)] += 1
        if seconds:
            _push_timer_start(seconds)
    if not seconds:
        insights_push()


def _push_timer_start(seconds: int) -> None:
    """Holding the tally lock: time the next push, unless it is timed already (or the process exits).
    The timer's thread only queues the push: the pool's threads close their database connections."""
    global _push_timer
    if _push_timer is None and not _exiting:
        _push_timer = threading.Timer(seconds, background_threads.submit, args=(insights_push,))
        _push_timer.daemon = True
        _push_timer.start()


def insights_push() -> None:
    """Add this process's tally to the daily tables now (see the module docstring); a push timed for
    this tally is called off."""
    global _push_timer
    with _tally_lock:
        taken = Counter(_tally)
        _tally.clear()
        timer, _push_timer = _push_timer, None
    if timer is not None:
        timer.cancel()  # a no-op once it has fired (and queued this push)
    if not taken:
        return
    try:
        with transaction.atomic():
            _add_to_daily_tables(taken)
    except DatabaseError:
        with _tally_lock:
            _tally.update(taken)
            if settings.INSIGHTS_PUSH_SECONDS:
                _push_timer_start(settings.INSIGHTS_PUSH_SECONDS)
        logger.warning(
            "insights: %s event(s) not pushed, %s",
            taken.total(),
            "lost: the process is exiting" if _exiting else "kept for the next push",
            exc_info=True,
        )


@atexit.register
def _push_at_exit() -> None:
    global _exiting
    _exiting = True  # what this push cannot write is lost (logged)
    insights_push()


def _forget_the_parents_tally() -> None:
    """A forked process (a gunicorn worker) starts with no events, no timer and a free lock."""
    global _tally, _tally_lock, _push_timer
    _tally, _tally_lock, _push_timer = Counter(), threading.Lock(), None


os.register_at_fork(after_in_child=_forget_the_parents_tally)


def _add_to_daily_tables(taken: Counter) -> None:
    books: dict[tuple[date, int], Counter] = defaultdict(Counter)
    searches: dict[tuple[date, str], Counter] = defaultdict(Counter)
    for (day, kind, subject), events in taken.items():
        if kind in BOOK_KINDS:
            books[(day, subject)][BOOK_KINDS[kind]] += events
        else:
            searches[(day, subject)][SEARCH_KINDS[kind]] += events
    _add_to_table(DailyBookStats, "book_id", list(BOOK_KINDS.values()), books)
    _add_to_table(DailySearchStats, "query", list(SEARCH_KINDS.values()), searches)


def _add_to_table(model: type[Model], subject: str, counts: list[str], rows: dict[tuple, Counter]) -> None:
    """Add each row's counts to the table's (day, subject) row, inserting the rows not there yet: an
    upsert, so two processes pushing the same book at once both count. Rows go in key order, so two
    pushes lock the rows they share in the same order."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = [quote(model._meta.get_field(name).column) for name in ("day", subject)]
    count_columns = [quote(model._meta.get_field(name).column) for name in counts]
    if connection.vendor == "mysql":
        on_conflict = "ON DUPLICATE KEY UPDATE " + ", ".join(
            f"{c} = {c} + VALUES({c})" for c in count_columns
        )
    else:  # SQLite and PostgreSQL
        on_conflict = f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET " + ", ".join(
            f"{c} = {table}.{c} + excluded.{c}" for c in count_columns
        )
    # Only the model's own names go into the statement; the values are parameters.
    insert = f"INSERT INTO {table} ({', '.join(key_columns + count_columns)}) VALUES "  # noqa: S608
    row_placeholders = "(" + ", ".join(["%s"] * (len(key_columns) + len(count_columns))) + ")"
    ordered = sorted(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), ROWS_PER_STATEMENT):
            chunk = ordered[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                insert + ", ".join([row_placeholders] * len(chunk)) + " " + on_conflict,
                [
                    value
                    for (day, name), values in chunk
                    for value in (
                        connection.ops.adapt_datefield_value(day),
                        name,
                        *(values[count] for count in counts),
                    )
                ],
            )

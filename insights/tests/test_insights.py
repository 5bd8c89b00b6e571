"""Shopper insights: events tallied per process and added to the daily tables without losing or doubling one."""

import os
import time
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.background import background_threads
from insights import services
from insights.models import DailyBookStats, DailySearchStats
from insights.selectors import (
    insights_funnel,
    insights_per_book,
    insights_per_day,
    searches_without_results,
    top_searches,
)
from tests_support.threads import race

# Recording waits for the surrounding commit: these tests run outside a test-wide transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def book_rows() -> dict[int, tuple[int, int, int]]:
    return {row.book_id: (row.views, row.cart_adds, row.orders) for row in DailyBookStats.objects.all()}


@pytest.fixture
def tallied(settings):
    """Events wait in the tally for a minute (the shipped setting is a few seconds), from an empty one."""
    services.insights_push()
    settings.INSIGHTS_PUSH_SECONDS = 60


def test_recording_writes_nothing_to_the_database_until_the_push(tallied, django_assert_num_queries):
    with django_assert_num_queries(0):
        services.book_view_record(book_id=7)
        services.book_view_record(book_id=7)
        services.cart_add_record(book_id=7)
        services.order_line_record(book_id=8)
        services.search_record(query="Dune", results=3)

    assert not DailyBookStats.objects.exists()

    services.insights_push()

    assert book_rows() == {7: (2, 1, 0), 8: (0, 0, 1)}
    assert DailyBookStats.objects.values_list("day", flat=True).first() == timezone.localdate()
    assert DailySearchStats.objects.values_list("query", "searches", "no_results").get() == ("dune", 1, 0)


def test_a_push_adds_to_the_rows_already_there(tallied):
    services.book_view_record(book_id=1)
    services.insights_push()
    services.book_view_record(book_id=1)
    services.book_view_record(book_id=2)
    services.search_record(query="dune", results=0)
    services.search_record(query="dune", results=0)

    services.insights_push()
    services.insights_push()  # nothing counted since: changes nothing

    assert book_rows() == {1: (2, 0, 0), 2: (1, 0, 0)}
    assert DailySearchStats.objects.values_list("searches", "no_results").get() == (2, 2)


def test_searches_are_normalised_and_those_without_results_counted_apart():
    services.search_record(query="  Dune   MESSIAH ", results=2)
    services.search_record(query="dune messiah", results=0)
    services.search_record(query="unicorn cookbook", results=0)
    services.search_record(query="   ", results=0)
    services.search_record(query="me@example.com", results=0)  # personal data is never kept

    rows = {row.query: (row.searches, row.no_results) for row in DailySearchStats.objects.all()}
    assert rows == {"dune messiah": (2, 1), "unicorn cookbook": (1, 1)}


def test_a_query_is_cut_to_the_column_length():
    services.search_record(query="x" * 500, results=1)

    assert DailySearchStats.objects.get().query == "x" * 100


def test_events_inside_a_rolled_back_transaction_are_not_counted():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.cart_add_record(book_id=3)
        raise RuntimeError("the cart add failed")
    with transaction.atomic():
        services.cart_add_record(book_id=4)
        assert not DailyBookStats.objects.exists()  # not before the commit

    assert book_rows() == {4: (0, 1, 0)}


def test_events_are_counted_on_the_day_they_happened(tallied, monkeypatch):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: yesterday)
    services.book_view_record(book_id=5)
    monkeypatch.undo()
    services.book_view_record(book_id=5)

    services.insights_push()

    assert dict(DailyBookStats.objects.values_list("day", "views")) == {yesterday: 1, today: 1}


def refuse_the_daily_tables(execute, sql, params, many, context):
    if sql.startswith("INSERT INTO") and "insights_daily" in sql:
        raise DatabaseError("the database is away")
    return execute(sql, params, many, context)


def test_a_refused_push_keeps_the_events_for_the_next(caplog):
    with connection.execute_wrapper(refuse_the_daily_tables):
        services.book_view_record(book_id=9)  # pushed at once here (INSIGHTS_PUSH_SECONDS = 0): refused
        services.search_record(query="dune", results=1)

    assert "insights: 1 event(s) not pushed, kept for the next push" in caplog.text
    assert not DailyBookStats.objects.exists() and not DailySearchStats.objects.exists()

    services.book_view_record(book_id=9)  # the next push takes what the last one gave back

    assert book_rows() == {9: (2, 0, 0)}
    assert DailySearchStats.objects.values_list("query", "searches").get() == ("dune", 1)


def test_pushes_at_the_same_moment_from_several_threads_lose_and_double_nothing(tallied):
    """As two worker processes pushing the same books do: each push inserts or adds to the same rows."""

    def shopper():
        for book_id in range(1, 41):
            services.book_view_record(book_id=book_id)
        services.insights_push()

    race(shopper, shopper, shopper, shopper)
    services.insights_push()  # what a refused push (a deadlock) gave back, if any

    assert book_rows() == {book_id: (4, 0, 0) for book_id in range(1, 41)}


def wait_until(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_tally_is_pushed_in_the_background_a_few_seconds_after_its_first_event(settings):
    services.insights_push()
    settings.INSIGHTS_PUSH_SECONDS = 1
    services.book_view_record(book_id=1)
    services.book_view_record(book_id=1)
    services.search_record(query="dune", results=0)

    assert not DailyBookStats.objects.exists()  # not in the request
    assert wait_until(lambda: book_rows() == {1: (2, 0, 0)})
    assert DailySearchStats.objects.values_list("searches", "no_results").get() == (1, 1)

    services.book_view_record(book_id=1)  # the first event of the next tally times the next push

    assert wait_until(lambda: book_rows() == {1: (3, 0, 0)})
    assert background_threads.wait(timeout=10)


def test_a_forked_process_starts_with_an_empty_tally(tallied):
    services.book_view_record(book_id=1)

    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through its exit status only
        os._exit(0 if not services._tally and services._push_timer is None else 1)
    _pid, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    services.insights_push()
    assert book_rows() == {1: (1, 0, 0)}  # counted once, by this process


def test_selectors_sum_a_period():
    first, second = date(2024, 3, 1), date(2024, 3, 2)
    DailyBookStats.objects.create(day=first, book_id=1, views=100, cart_adds=10, orders=4)
    DailyBookStats.objects.create(day=second, book_id=1, views=50, cart_adds=5, orders=1)
    DailyBookStats.objects.create(day=second, book_id=2, views=200, cart_adds=0, orders=0)
    DailyBookStats.objects.create(day=date(2024, 4, 1), book_id=2, views=999)
    DailySearchStats.objects.create(day=first, query="dune", searches=5, no_results=0)
    DailySearchStats.objects.create(day=second, query="dune", searches=3, no_results=0)
    DailySearchStats.objects.create(day=second, query="unicorns", searches=4, no_results=4)

    funnel = insights_funnel(date_from=first, date_to=second)
    per_book = insights_per_book(date_from=first, date_to=second)

    assert (funnel.views, funnel.cart_adds, funnel.orders) == (350, 15, 5)
    assert (str(funnel.view_to_cart), str(funnel.cart_to_order), str(funnel.view_to_order)) == (
        "4.3",
        "33.3",
        "1.4",
    )
    assert [(book_id, f.views) for book_id, f in per_book] == [(2, 200), (1, 150)]
    assert {day: f.views for day, f in insights_per_day(date_from=first, date_to=second).items()} == {
        first: 100,
        second: 250,
    }
    assert top_searches(date_from=first, date_to=second) == [
        {"query": "dune", "searches": 8, "no_results": 0, "days": 2},
        {"query": "unicorns", "searches": 4, "no_results": 4, "days": 1},
    ]
    assert searches_without_results(date_from=first, date_to=second) == [
        {"query": "unicorns", "no_results": 4}
    ]


def test_rates_without_events_are_none():
    funnel = insights_funnel(date_from=date(2024, 1, 1), date_to=date(2024, 1, 2))

    assert (funnel.views, funnel.view_to_cart, funnel.cart_to_order) == (0, None, None)

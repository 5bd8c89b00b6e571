"""Shopper insights: counters in the cache, flushed into daily tables without losing or doubling an event."""

import threading
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from core.background import POOL_THREADS, background_threads
from insights import services
from insights.models import DailyBookStats, DailySearchStats
from insights.selectors import (
    insights_funnel,
    insights_per_book,
    insights_per_day,
    searches_without_results,
    top_searches,
)

# Recording waits for the surrounding commit: these tests run outside a test-wide transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def book_rows() -> dict[int, tuple[int, int, int]]:
    return {row.book_id: (row.views, row.cart_adds, row.orders) for row in DailyBookStats.objects.all()}


def test_recording_writes_nothing_to_the_database_until_the_flush(django_assert_num_queries):
    with django_assert_num_queries(0):
        services.book_view_record(book_id=7)
        services.book_view_record(book_id=7)
        services.cart_add_record(book_id=7)
        services.order_line_record(book_id=8)
        services.search_record(query="Dune", results=3)

    assert not DailyBookStats.objects.exists()

    report = services.insights_flush()

    assert (report.events, report.book_rows, report.search_rows) == (5, 2, 1)
    assert book_rows() == {7: (2, 1, 0), 8: (0, 0, 1)}
    day = DailyBookStats.objects.values_list("day", flat=True).first()
    assert day == timezone.localdate()


def test_a_second_flush_adds_only_what_was_counted_since():
    services.book_view_record(book_id=1)
    services.insights_flush()
    services.book_view_record(book_id=1)
    services.book_view_record(book_id=2)

    report = services.insights_flush()
    again = services.insights_flush()

    assert report.events == 2 and again.events == 0
    assert book_rows() == {1: (2, 0, 0), 2: (1, 0, 0)}


def test_searches_are_normalised_and_those_without_results_counted_apart():
    services.search_record(query="  Dune   MESSIAH ", results=2)
    services.search_record(query="dune messiah", results=0)
    services.search_record(query="unicorn cookbook", results=0)
    services.search_record(query="   ", results=0)
    services.search_record(query="me@example.com", results=0)  # personal data is never kept

    services.insights_flush()

    rows = {row.query: (row.searches, row.no_results) for row in DailySearchStats.objects.all()}
    assert rows == {"dune messiah": (2, 1), "unicorn cookbook": (1, 1)}


def test_a_query_is_cut_to_the_column_length():
    services.search_record(query="x" * 500, results=1)
    services.insights_flush()

    assert DailySearchStats.objects.get().query == "x" * 100


def test_events_inside_a_rolled_back_transaction_are_not_counted():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.cart_add_record(book_id=3)
        raise RuntimeError("the cart add failed")
    with transaction.atomic():
        services.cart_add_record(book_id=4)
        assert services.insights_flush().events == 0  # not before the commit

    services.insights_flush()

    assert book_rows() == {4: (0, 1, 0)}


def test_yesterdays_counters_are_flushed_into_yesterday(monkeypatch):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: yesterday)
    services.book_view_record(book_id=5)
    monkeypatch.undo()
    services.book_view_record(book_id=5)

    services.insights_flush(today=today)

    assert dict(DailyBookStats.objects.values_list("day", "views")) == {yesterday: 1, today: 1}


def test_a_failed_write_gives_the_counts_back_for_the_next_flush(monkeypatch):
    services.book_view_record(book_id=9)

    def refuse(*args, **kwargs):
        raise DatabaseError("the database is away")

    with monkeypatch.context() as patch:
        patch.setattr(DailyBookStats.objects, "bulk_create", refuse)
        with pytest.raises(DatabaseError):
            services.insights_flush()
    assert not DailyBookStats.objects.exists()

    services.insights_flush()

    assert book_rows() == {9: (1, 0, 0)}


def test_a_cache_that_fails_loses_the_pushed_events_and_never_the_request(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionError("the cache is away")

    with monkeypatch.context() as patch:
        for method in ("add", "incr"):
            patch.setattr(cache, method, refuse)
        services.book_view_record(book_id=3)  # pushed at once here (INSIGHTS_PUSH_SECONDS = 0)

    assert "insights: 1 view event(s)" in caplog.text
    assert cache.get(services._counter_key(timezone.localdate(), "view", 3)) is None
    assert services.insights_flush().events == 0  # lost, not counted twice later
    assert not DailyBookStats.objects.exists()


def test_only_one_flush_runs_at_a_time():
    services.book_view_record(book_id=1)
    cache.add("insights:flush-lock", 1)

    report = services.insights_flush()

    assert report.skipped and not DailyBookStats.objects.exists()
    cache.delete("insights:flush-lock")
    assert services.insights_flush().events == 1


def test_a_counter_that_expired_starts_again():
    services.book_view_record(book_id=1)
    cache.delete(services._counter_key(timezone.localdate(), "view", 1))
    services.book_view_record(book_id=1)

    services.insights_flush()

    assert book_rows() == {1: (1, 0, 0)}


def test_the_command_reports_what_it_flushed(capsys):
    services.book_view_record(book_id=1)
    services.search_record(query="dune", results=1)

    call_command("flush_insights", "--no-progress")

    assert "2 event(s) flushed into 1 book row(s) and 1 search row(s)" in capsys.readouterr().out


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


def test_a_process_tallies_events_and_pushes_them_in_the_background_every_few_seconds(settings, monkeypatch):
    settings.INSIGHTS_PUSH_SECONDS = 60
    services.insights_push()  # a fresh tally: the next push is a minute away
    key = services._counter_key(timezone.localdate(), "view", 1)
    for _ in range(3):
        services.book_view_record(book_id=1)
    services.search_record(query="dune", results=0)

    assert cache.get(key) is None  # nothing in the shared counters yet

    busy = threading.Event()
    for _ in range(POOL_THREADS):  # the background threads are busy for now
        background_threads.submit(busy.wait, 10)
    monkeypatch.setattr(services, "_pushed_at", services._pushed_at - 61)
    services.book_view_record(book_id=1)  # a minute later: a push is queued, not made in the request
    services.book_view_record(book_id=1)  # once per period: this event waits for the next

    assert cache.get(key) is None
    busy.set()
    assert background_threads.wait(timeout=10)
    assert cache.get(key) == 5  # both events were tallied when the queued push ran

    services.book_view_record(book_id=2)
    report = services.insights_flush()  # pushes this process's tally first

    assert report.events == 8
    assert book_rows() == {1: (5, 0, 0), 2: (1, 0, 0)}
    assert DailySearchStats.objects.get(query="dune").no_results == 1

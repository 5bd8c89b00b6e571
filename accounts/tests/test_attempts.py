"""accounts.attempts: numbered slots claimed with cache.add hold a limit under concurrency."""

import threading

import pytest
from django.core.cache import cache

from accounts.attempts import attempt_claim, attempt_release, attempts_clear


def _claim_in_threads(counter: str, *, limit: int, threads: int) -> list:
    start = threading.Barrier(threads)
    claims = []

    def claim():
        start.wait()
        claims.append(attempt_claim(counter, limit=limit, window=60))

    workers = [threading.Thread(target=claim) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    return claims


def test_forty_concurrent_attempts_get_exactly_the_limits_slots():
    claims = _claim_in_threads("test:race", limit=5, threads=40)

    granted = [claim for claim in claims if claim is not None]
    assert len(claims) == 40
    assert len(granted) == 5
    assert len(set(granted)) == 5


def test_a_released_slot_can_be_claimed_again_and_clearing_frees_them_all():
    slots = [attempt_claim("test:release", limit=3, window=60) for _ in range(3)]
    assert attempt_claim("test:release", limit=3, window=60) is None

    attempt_release(slots[1])
    assert attempt_claim("test:release", limit=3, window=60) == slots[1]

    attempts_clear("test:release", limit=3)
    assert all(attempt_claim("test:release", limit=3, window=60) for _ in range(3))


def test_limits_beyond_one_chunk_are_counted_exactly():
    granted = [attempt_claim("test:big", limit=250, window=60) for _ in range(251)]

    assert sum(slot is not None for slot in granted) == 250
    assert granted[-1] is None
    attempts_clear("test:big", limit=250)
    assert cache.get("test:big:0") is None and cache.get("test:big:249") is None


def test_a_limit_of_zero_counts_nothing():
    assert all(attempt_claim("test:off", limit=0, window=60) == "" for _ in range(10))
    assert cache.get("test:off:0") is None


@pytest.mark.django_db
def test_slots_expire_with_their_window():
    slot = attempt_claim("test:expire", limit=1, window=1)
    cache.delete(slot)  # what the window's end does

    assert attempt_claim("test:expire", limit=1, window=1) == slot

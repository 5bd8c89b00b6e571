"""Counting attempts in the shared cache so that a limit holds under concurrency, on any cache backend.

A counter read and then written (which is what Django's `incr` does on the database cache) lets 40
requests arriving together all read "4 of 5" and all go ahead. Here each attempt claims a numbered slot
with `cache.add`, which exactly one caller can win (an INSERT on the database cache, SET NX on Redis, a
lock in local memory): a limit of 5 has five slots, so at most five attempts go ahead per window
however many arrive at once. Each slot expires on its own, so the window slides.

Slots are read a chunk at a time (one `get_many`) and claimed lowest first, so a counter costs one read
and one write while it is low, whatever its limit. The database cache deletes the expired entries its
reads meet, so a freed slot is claimed by an INSERT again; only a slot that expires between that read
and the claim can (rarely) be taken twice.
"""

from django.core.cache import cache

CHUNK = 100


def _slots(counter: str, start: int, limit: int) -> list[str]:
    return [f"{counter}:{n}" for n in range(start, min(start + CHUNK, limit))]


def attempt_claim(counter: str, *, limit: int, window: int) -> str | None:
    """Claim one of the counter's `limit` slots for `window` seconds: the slot's key, or None when every
    slot is taken (the limit is reached). A limit of 0 means no limit: nothing is counted."""
    if limit <= 0:
        return ""
    for start in range(0, limit, CHUNK):
        slots = _slots(counter, start, limit)
        taken = cache.get_many(slots)
        for slot in slots:
            if slot not in taken and cache.add(slot, 1, timeout=window):
                return slot
    return None


def attempt_release(slot: str) -> None:
    """Give back one claimed slot (the attempt turned out not to count)."""
    if slot:
        cache.delete(slot)


def attempts_clear(counter: str, *, limit: int) -> None:
    """Forget the counter's attempts. Slots fill lowest first, so the first chunk with none taken ends it."""
    for start in range(0, max(limit, 0), CHUNK):
        slots = _slots(counter, start, limit)
        taken = cache.get_many(slots)
        if not taken:
            return
        cache.delete_many(list(taken))

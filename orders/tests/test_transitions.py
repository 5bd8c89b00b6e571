"""The order life-cycle table: every (from, to) pair, for the system and for staff by hand."""

import itertools

import pytest

from orders.models import OrderStatus as S
from orders.transitions import can_transition

SYSTEM = {
    (S.PENDING, S.PAID),
    (S.PENDING, S.CANCELLED),
    (S.PAID, S.SHIPPED),
    (S.PAID, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
    # Only the refund that pays back the last of an order makes it refunded.
    (S.PAID, S.REFUNDED),
    (S.SHIPPED, S.REFUNDED),
    (S.DELIVERED, S.REFUNDED),
}
STAFF = SYSTEM - {
    (S.PENDING, S.PAID),
    (S.PAID, S.REFUNDED),
    (S.SHIPPED, S.REFUNDED),
    (S.DELIVERED, S.REFUNDED),
}


@pytest.mark.parametrize("source, target", list(itertools.product(S.values, repeat=2)))
def test_transition_table(source, target):
    assert can_transition(source, target) is ((source, target) in SYSTEM)
    assert can_transition(source, target, by_staff=True) is ((source, target) in STAFF)


def test_unknown_statuses_never_transition():
    assert not can_transition("lost", S.CANCELLED)
    assert not can_transition(S.PENDING, "lost", by_staff=True)

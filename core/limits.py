"""Limits several apps share, defined once.

MAX_ID: the largest id a client may send in a body or form (a JavaScript-safe integer); a larger one is
no row of ours, and refusing it up front keeps oversized numbers away from the database.
MONEY_MAX: the largest price or amount a 10-digit money column with two decimals holds.
"""

from decimal import Decimal

MAX_ID = 2**53
MONEY_MAX = Decimal("99999999.99")

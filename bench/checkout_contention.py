#!/usr/bin/env python
"""Checkout under contention: many buyers at once, a few hot titles, many cold ones, on MariaDB.

Starts the app under gunicorn (several worker processes, production settings) against a scratch
MariaDB database, fills one cart per buyer, then releases every checkout at the same moment and
reports what happened: orders, 409s, 5xx (must be 0), oversold units (must be 0), checkouts/s.

    .venv/bin/python bench/checkout_contention.py [--buyers 250] [--workers 4]
"""

import argparse
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    CHECKOUT_BODY,
    bench_env,
    describe_latencies,
    gunicorn,
    manage,
    prepare_scratch_database,
    request,
)


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="mysql://root@127.0.0.1:3306/bench_checkout")
    parser.add_argument("--buyers", type=int, default=250)
    parser.add_argument("--hot-titles", type=int, default=5)
    parser.add_argument("--hot-stock", type=int, default=20, help="copies of each hot title")
    parser.add_argument("--cold-titles", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def seed(args) -> tuple[list[str], dict[int, int]]:
    """Books, buyers and their carts; returns the buyers' access tokens and each book's initial stock."""
    from decimal import Decimal

    from tqdm import tqdm

    from accounts.models import User
    from accounts.tokens import token_pair_for_user
    from cart.services import cart_add_book
    from catalog.isbn import isbn13_from_prefix
    from catalog.services import book_create

    rng = random.Random(args.seed)
    manage(os.environ, "seed_demo", "--books", "0")  # the shipping methods and tax rates checkout needs
    hot = [
        book_create(
            title=f"Hot title {n}",
            author="Bench",
            isbn=isbn13_from_prefix(f"978100{n:06d}"),
            price=Decimal("19.99"),
            stock=args.hot_stock,
        )
        for n in range(args.hot_titles)
    ]
    cold = [
        book_create(
            title=f"Cold title {n}",
            author="Bench",
            isbn=isbn13_from_prefix(f"978200{n:06d}"),
            price=Decimal(rng.randint(500, 4000)) / 100,
            stock=1000,
        )
        for n in tqdm(range(args.cold_titles), desc="books", unit="book")
    ]
    tokens = []
    for n in tqdm(range(args.buyers), desc="buyers and carts", unit="buyer"):
        buyer = User.objects.create_user(username=f"buyer{n}", email=f"buyer{n}@bench.local", password=None)
        if rng.random() < 0.6:  # most buyers want a hot title too
            cart_add_book(user=buyer, book_id=rng.choice(hot).pk, quantity=rng.randint(1, 2))
        for book in rng.sample(cold, rng.randint(1, 3)):
            cart_add_book(user=buyer, book_id=book.pk, quantity=rng.randint(1, 3))
        tokens.append(token_pair_for_user(buyer)["access"])
    initial = {book.pk: book.stock for book in [*hot, *cold]}
    return tokens, initial


def fire(port: int, tokens: list[str]) -> tuple[list[tuple[int, dict, float]], float]:
    barrier = threading.Barrier(len(tokens) + 1)
    results: list = [None] * len(tokens)

    def buyer(index, token):
        barrier.wait()
        try:
            results[index] = request(port, "POST", "/api/orders/", body=CHECKOUT_BODY, token=token)
        except OSError as exc:
            results[index] = (0, {"error": str(exc)}, 0.0)

    threads = [threading.Thread(target=buyer, args=(i, token)) for i, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def audit(initial: dict[int, int]) -> dict[str, int]:
    from django.db.models import Sum

    from catalog.models import Book, StockMovement
    from orders.models import OrderItem

    sold = dict(OrderItem.objects.values_list("book_id").annotate(units=Sum("quantity")))
    ledger = dict(StockMovement.objects.values_list("book_id").annotate(total=Sum("delta")))
    stock = dict(Book.objects.values_list("pk", "stock"))
    oversold = sum(max(0, sold.get(pk, 0) - initial[pk]) for pk in initial)
    negative = sum(1 for value in stock.values() if value < 0)
    mismatched = sum(
        1 for pk in initial if stock[pk] != initial[pk] - sold.get(pk, 0) or ledger.get(pk, 0) != stock[pk]
    )
    return {
        "oversold_units": oversold,
        "negative_stock_books": negative,
        "ledger_mismatches": mismatched,
        "units_sold": sum(sold.values()),
    }


def main() -> int:
    args = parse_args()
    env = bench_env(args.database_url)
    prepare_scratch_database(env)
    tokens, initial = seed(args)
    from django.db import connection

    connection.close()  # the server processes own the database from here on

    print(
        f"Starting gunicorn with {args.workers} workers; firing {len(tokens)} checkouts at once …", flush=True
    )
    with gunicorn(env, port=args.port, workers=args.workers):
        results, elapsed = fire(args.port, tokens)

    statuses = Counter(status for status, _, _ in results)
    codes = Counter(body.get("code", "") for status, body, _ in results if status == 409)
    server_errors = sum(count for status, count in statuses.items() if status >= 500 or status == 0)
    checks = audit(initial)
    latencies = [seconds for _, _, seconds in results]

    print()
    print(
        f"checkouts fired        {len(results)} (all released at once, {args.workers} gunicorn workers, MariaDB)"
    )
    print(f"orders created (201)   {statuses.get(201, 0)}")
    print(f"refused (409)          {statuses.get(409, 0)}  {dict(codes)}")
    print(f"server errors (5xx)    {server_errors}")
    print(
        f"other statuses         { ({s: c for s, c in statuses.items() if s not in (201, 409) and s < 500 and s}) }"
    )
    print(f"units sold             {checks['units_sold']}")
    print(f"oversold units         {checks['oversold_units']}")
    print(f"negative stock books   {checks['negative_stock_books']}")
    print(f"ledger mismatches      {checks['ledger_mismatches']}")
    print(f"wall time              {elapsed:.2f} s")
    print(f"checkouts per second   {len(results) / elapsed:.1f}")
    print(f"latency                {describe_latencies(latencies)}")
    failed = (
        server_errors
        or checks["oversold_units"]
        or checks["negative_stock_books"]
        or checks["ledger_mismatches"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

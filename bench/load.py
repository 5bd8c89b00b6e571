#!/usr/bin/env python
"""Multi-process load: two app servers on one MariaDB, a realistic shopper mix, for a fixed time.

Two gunicorn servers (separate process groups, production settings) share one scratch MariaDB
database and one localstripe. Virtual shoppers alternate between the servers and browse, search,
open books, add to cart, ask for a quote, check out (the order must have the quote's figures) and pay:
the payment intent comes from our API, the card is attached and confirmed at localstripe as Stripe.js
would, and localstripe delivers the signed webhook to one of the servers. Meanwhile staff members ship,
deliver and refund paid orders (partial refunds with restock, through localstripe), and customers ask
to return delivered books. At the end it prints throughput and p50/p95/p99 per step, errors by status
code, and checks the stock, money and refund invariants (must hold).

    .venv/bin/python bench/load.py [--seconds 60] [--shoppers 16]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    CHECKOUT_BODY,
    ROOT,
    bench_env,
    describe_latencies,
    gunicorn,
    manage,
    percentile,
    prepare_scratch_database,
    request,
    wait_for_http,
)

LOCALSTRIPE = ROOT / "scripts" / "localstripe_server.py"
WORDS = ["the", "history", "garden", "night", "river", "secret", "war", "love", "city", "light"]


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="mysql://root@127.0.0.1:3306/bench_load")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--shoppers", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--ports", default="8741,8742")
    parser.add_argument("--stripe-port", type=int, default=8743)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--staff", type=int, default=2, help="staff members shipping and refunding")
    return parser.parse_args()


FIGURES = ("subtotal", "discount", "shipping", "tax", "total")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.quote_mismatches = 0

    def record(self, step: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[step].append(seconds)
            self.statuses[step][status] += 1


def stripe_call(port: int, path: str, data: dict) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=urllib.parse.urlencode(data).encode(), method="POST"
    )
    req.add_header("Authorization", "Bearer sk_test_localstripe")
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read())


def shopper(index, args, ports, tokens, book_ids, stats, deadline):
    rng = random.Random(args.seed + index)
    token = tokens[index]
    turn = index

    def call(step, method, path, body=None, expected=(200,)):
        nonlocal turn
        turn += 1
        port = ports[turn % len(ports)]
        try:
            status, data, seconds = request(port, method, path, body=body, token=token)
        except OSError:
            status, data, seconds = 0, {}, 0.0
        stats.record(step, status, seconds)
        return status, data

    while time.monotonic() < deadline:
        call("browse", "GET", f"/api/books/?page={rng.randint(1, 10)}")
        call("search", "GET", f"/api/books/?search={rng.choice(WORDS)}")
        book_id = rng.choice(book_ids)
        call("detail", "GET", f"/api/books/{book_id}/")
        status, _ = call(
            "add to cart", "POST", "/api/cart/items/", {"book_id": book_id, "quantity": rng.randint(1, 2)}
        )
        if rng.random() < 0.5:
            continue
        _, quote = call("quote", "POST", "/api/cart/quote/", CHECKOUT_BODY, (200, 400))
        status, order = call("checkout", "POST", "/api/orders/", CHECKOUT_BODY)
        if status != 201:
            continue
        if quote.get("total") is not None and [order[name] for name in FIGURES] != [
            quote[name] for name in FIGURES
        ]:
            # Another shopper may have bought the last copy in between (then 409), but the price and
            # the rates did not change: the figures must be the quote's.
            with stats.lock:
                stats.quote_mismatches += 1
        status, intent = call("payment intent", "POST", f"/api/orders/{order['id']}/payment/")
        if status not in (200, 201):
            continue
        started = time.perf_counter()
        try:
            stripe_call(
                args.stripe_port,
                f"/v1/payment_intents/{intent['payment_intent_id']}",
                {"payment_method": "pm_card_visa"},
            )
            stripe_call(args.stripe_port, f"/v1/payment_intents/{intent['payment_intent_id']}/confirm", {})
            stats.record("pay at stripe (+ webhook)", 200, time.perf_counter() - started)
        except OSError:
            stats.record("pay at stripe (+ webhook)", 0, time.perf_counter() - started)


def staff_member(index, args, ports, token, buyer_tokens, stats, deadline):
    """Ships and delivers paid orders, refunds copies of some (partly restocked), and, as their
    customers, asks to return books of delivered orders."""
    rng = random.Random(args.seed * 1000 + index)
    turn = index

    def call(step, method, path, body=None, as_token=token):
        nonlocal turn
        turn += 1
        port = ports[turn % len(ports)]
        try:
            status, data, seconds = request(port, method, path, body=body, token=as_token)
        except OSError:
            status, data, seconds = 0, {}, 0.0
        stats.record(step, status, seconds)
        return status, data

    while time.monotonic() < deadline:
        time.sleep(rng.uniform(0.05, 0.3))
        wanted = rng.choice(["paid", "paid", "shipped", "delivered"])
        status, page = call("staff: list orders", "GET", f"/api/admin/orders/?status={wanted}&page_size=20")
        if status != 200 or not page.get("results"):
            continue
        order = rng.choice(page["results"])
        action = rng.random()
        if wanted == "paid" and action < 0.6:
            body = {
                "carrier": rng.choice(["ups", "usps", "fedex", "dhl"]),
                "tracking_number": f"1Z{order['id']:010d}",
            }
            call("staff: ship", "POST", f"/api/admin/orders/{order['id']}/ship/", body)
        elif wanted == "shipped":
            call("staff: deliver", "POST", f"/api/admin/orders/{order['id']}/deliver/", {})
        elif wanted == "delivered" and action < 0.5:
            item = rng.choice(order["items"])
            customer = buyer_tokens.get(order["user"])
            if customer:
                call(
                    "customer: return request",
                    "POST",
                    f"/api/orders/{order['id']}/returns/",
                    {"lines": [{"book_id": item["book_id"], "quantity": 1}], "reason": "Load test."},
                    as_token=customer,
                )
        else:
            item = rng.choice(order["items"])
            body = {
                "lines": [{"book_id": item["book_id"], "quantity": rng.randint(1, item["quantity"])}],
                "shipping": rng.random() < 0.3,
                "restock": rng.random() < 0.5,
                "reason": "Load test refund.",
            }
            call("staff: refund", "POST", f"/api/admin/orders/{order['id']}/refunds/", body)


def seed(args, buyers: int) -> tuple[list[str], list[int]]:
    from accounts.models import User
    from accounts.tokens import token_pair_for_user
    from catalog.models import Book

    manage(os.environ, "seed_demo")
    tokens, by_user = [], {}
    for n in range(buyers):
        user = User.objects.create_user(username=f"loader{n}", email=f"loader{n}@bench.local", password=None)
        tokens.append(token_pair_for_user(user)["access"])
        by_user[user.pk] = tokens[-1]
    staff = User.objects.get(email="staff@bookstore.local")
    staff_token = token_pair_for_user(staff)["access"]
    return (
        tokens,
        by_user,
        staff_token,
        list(Book.objects.filter(is_active=True, stock__gt=0).values_list("pk", flat=True)),
    )


def audit() -> dict[str, int]:
    from django.db.models import Count, F, Q, Sum

    from catalog.models import Book, StockMovement
    from orders.models import Order, OrderItem, OrderStatus, OrderStatusChange, ReturnRequest
    from payments.models import Payment, PaymentStatus, Refund, RefundStatus

    # Orders whose copies left the shelf, less the copies a refund put back.
    holding = [
        OrderStatus.PENDING,
        OrderStatus.PAID,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.REFUNDED,
    ]
    held = dict(
        OrderItem.objects.filter(order__status__in=holding)
        .values_list("book_id")
        .annotate(u=Sum(F("quantity") - F("restocked_quantity")))
    )
    refunded_by_rows = dict(
        Refund.objects.filter(surplus=False).values_list("order_id").annotate(total=Sum("amount"))
    )
    orders = list(
        Order.objects.values(
            "pk", "status", "total", "refunded_total", "subtotal", "discount", "shipping", "tax"
        )
    )
    supplied = dict(
        StockMovement.objects.filter(reason__in=["initial", "adjustment", "import"])
        .values_list("book_id")
        .annotate(t=Sum("delta"))
    )
    ledger = dict(StockMovement.objects.values_list("book_id").annotate(t=Sum("delta")))
    books = dict(Book.objects.values_list("pk", "stock"))
    return {
        "orders": Order.objects.count(),
        "paid": Order.objects.filter(status=OrderStatus.PAID).count(),
        "pending": Order.objects.filter(status=OrderStatus.PENDING).count(),
        "negative stock": sum(1 for stock in books.values() if stock < 0),
        "shelf + live orders != supplied": sum(
            1 for pk, stock in books.items() if stock + held.get(pk, 0) != supplied.get(pk, 0)
        ),
        "ledger != stock": sum(1 for pk, stock in books.items() if ledger.get(pk, 0) != stock),
        "orders paid twice": OrderStatusChange.objects.filter(to_status=OrderStatus.PAID)
        .values("order_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "orders with two successful payments": Order.objects.annotate(
            n=Count("payments", filter=Q(payments__status=PaymentStatus.SUCCEEDED))
        )
        .filter(n__gt=1)
        .count(),
        "shipped / delivered / refunded orders": "{} / {} / {}".format(
            *(Order.objects.filter(status=status).count() for status in ("shipped", "delivered", "refunded"))
        ),
        "refunds (accepted by Stripe / due)": f"{Refund.objects.exclude(status__in=[RefundStatus.REQUIRED, RefundStatus.REQUESTING]).count()} / {Refund.objects.filter(status__in=[RefundStatus.REQUIRED, RefundStatus.REQUESTING]).count()}",
        "return requests": ReturnRequest.objects.count(),
        "total != subtotal - discount + shipping + tax": sum(
            1 for o in orders if o["total"] != o["subtotal"] - o["discount"] + o["shipping"] + o["tax"]
        ),
        "payment amount != order total": Payment.objects.filter(status=PaymentStatus.SUCCEEDED)
        .exclude(amount=F("order__total"))
        .count(),
        "refunded more than paid": sum(1 for o in orders if o["refunded_total"] > o["total"]),
        "refund rows != refunded total": sum(
            1 for o in orders if refunded_by_rows.get(o["pk"], 0) != o["refunded_total"]
        ),
        "refunded orders not wholly refunded": sum(
            1 for o in orders if o["status"] == "refunded" and o["refunded_total"] != o["total"]
        ),
    }


def main() -> int:
    args = parse_args()
    ports = [int(port) for port in args.ports.split(",")]
    stripe_base = f"http://127.0.0.1:{args.stripe_port}"
    env = bench_env(
        args.database_url, STRIPE_API_BASE=stripe_base, LOGIN_FAILURE_LIMIT="0", LOGIN_FAILURE_IP_LIMIT="0"
    )
    prepare_scratch_database(env)
    tokens, by_user, staff_token, book_ids = seed(args, args.shoppers)
    from django.db import connection

    connection.close()

    with ExitStack() as stack:
        stripe_log = stack.enter_context(open(ROOT / "bench" / "localstripe-load.log", "w"))
        localstripe = subprocess.Popen(
            [sys.executable, str(LOCALSTRIPE), "--port", str(args.stripe_port)],
            stdout=stripe_log,
            stderr=stripe_log,
        )
        stack.callback(localstripe.terminate)
        for port in ports:
            stack.enter_context(gunicorn(env, port=port, workers=args.workers))
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{stripe_base}/js.stripe.com/v3/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        # localstripe delivers every webhook to the second server while checkouts are spread over both:
        # two processes write the same order and payment rows.
        urllib.request.urlopen(
            urllib.request.Request(
                f"{stripe_base}/_config/webhooks/load",
                data=urllib.parse.urlencode(
                    {
                        "url": f"http://127.0.0.1:{ports[-1]}/api/payments/webhook/",
                        "secret": env.get("STRIPE_WEBHOOK_SECRET", "whsec_localstripe"),
                    }
                ).encode(),
                method="POST",
            ),
            timeout=10,
        )
        for port in ports:
            wait_for_http(port, "/api/health/")

        print(
            f"{args.shoppers} shoppers for {args.seconds:.0f} s across servers {ports} ({args.workers} workers each) …",
            flush=True,
        )
        stats = Stats()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=shopper, args=(i, args, ports, tokens, book_ids, stats, deadline))
            for i in range(args.shoppers)
        ] + [
            threading.Thread(
                target=staff_member, args=(i, args, ports, staff_token, by_user, stats, deadline)
            )
            for i in range(args.staff)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        time.sleep(3)  # let the last webhooks land

    from django.db import connections

    connections.close_all()
    checks = audit()
    total = sum(len(samples) for samples in stats.latencies.values())
    print()
    print(f"{'step':28} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for step, samples in stats.latencies.items():
        ms = [s * 1000 for s in samples]
        print(
            f"{step:28} {len(samples):8d} {len(samples) / elapsed:7.1f} {percentile(ms, 0.5):8.1f} "
            f"{percentile(ms, 0.95):8.1f} {percentile(ms, 0.99):8.1f}  {dict(stats.statuses[step])}"
        )
    print(
        f"{'all steps':28} {total:8d} {total / elapsed:7.1f}  ({describe_latencies([s for v in stats.latencies.values() for s in v])})"
    )
    errors = Counter()
    for statuses in stats.statuses.values():
        for status, count in statuses.items():
            if status >= 500 or status == 0:
                errors[status] += count
    print(f"server errors by status: {dict(errors) or 'none'}")
    checks["orders whose figures differ from their quote"] = stats.quote_mismatches
    print("invariants at the end:")
    for name, value in checks.items():
        print(f"  {name:46} {value}")
    broken = errors or any(
        checks[key]
        for key in (
            "negative stock",
            "shelf + live orders != supplied",
            "ledger != stock",
            "orders paid twice",
            "orders with two successful payments",
            "total != subtotal - discount + shipping + tax",
            "payment amount != order total",
            "refunded more than paid",
            "refund rows != refunded total",
            "refunded orders not wholly refunded",
            "orders whose figures differ from their quote",
        )
    )
    print("RESULT:", "invariants hold, no server errors" if not broken else "FAILED")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

"""Shop pages and API against the framework's floor: 10,000 books, gunicorn with 2 sync workers, wrk.

    python bench/pages.py                      # load 10,000 books, check every page, then measure
    python bench/pages.py --skip-load          # measure again on the database loaded last time
    python bench/pages.py --seconds 5 --rounds 3
    python bench/pages.py --skip-load --only "500 books" --seconds 10 --rounds 3   # the long tail alone
    python bench/pages.py --profile / [--logged-in] [--caches-off] [--requests 200]

It creates (drops and recreates) its own database (default MariaDB `bench_pages`, or a SQLite file with
--sqlite), migrates it, creates a genre tree (`fiction` with nested sub-genres, and others), writes a CSV
of 10,000 generated books (a dozen with "Lighthouse" in the title) and loads it with the real
`manage.py import_books`, and registers a customer with two books in the cart.

Then it serves the shop with gunicorn (gunicorn.conf.py, 2 sync workers, bench/settings.py: DEBUG off,
persistent database connections, the `X-Query-Count` header and the no-database /api/ping/) twice in
turn: "shipped" (the default cache settings) and "caches off" (BOOK_LIST_CACHE_SECONDS=0,
SEARCH_CACHE_SECONDS=0). On each server it logs the customer in through /accounts/login/ and first checks
every page: it answers 200, shows the right books (the newest on the catalog, the matches of
"lighthouse" on the search, only books of fiction and its sub-genres on the genre page, the book's title
and price on the book page) and, logged in, the cart badge and the user menu. Then wrk (2 threads, 16
connections, 15 s by default, after a 2 s warm-up) measures each page; the table shows req/s, p50, p99,
p99.9 and the share of the floor (/api/ping/: routing, the whole middleware stack and a JSON answer, no
database). Besides the one book, "book pages, 500 books" rotates over 500 books spread over the catalog:
a shop's long tail, where most pages are not kept yet and every view counts a different book.

The verdicts at the end judge issue 17's goals; a goal missed prints FAIL but does not change the exit
status. A failed correctness check does: the script exits 1 when a page is wrong before measuring, or when
any response under wrk was not a 200. Everything printed also goes to bench/results/pages-<time>.txt.

--profile URL runs that URL N times in this process through Django's test Client against the bench
database (load it first) under pyinstrument and prints where the time goes (an HTML report is saved in
bench/results/ too).
"""

import argparse
import csv
import html
import json
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    CACHES_OFF,
    RESULTS,
    BufferPoolRaised,
    Load,
    bench_env,
    gunicorn,
    http_call,
    load_average,
    manage,
    prepare_scratch_database,
    wrk,
    wrk_rounds,
)

SEARCH_WORD = "lighthouse"
GENRE = "fiction"
# (slug, name, parent slug): fiction has sub-genres two levels deep, so the genre page must follow them.
GENRES = [
    ("fiction", "Fiction", None),
    ("mystery", "Mystery", "fiction"),
    ("cozy-mystery", "Cozy mystery", "mystery"),
    ("fantasy", "Fantasy", "fiction"),
    ("science-fiction", "Science fiction", "fiction"),
    ("non-fiction", "Non-fiction", None),
    ("history", "History", "non-fiction"),
    ("science", "Science", "non-fiction"),
    ("childrens-books", "Children's books", None),
    ("poetry", "Poetry", None),
]
FICTION_SLUGS = {"fiction", "mystery", "cozy-mystery", "fantasy", "science-fiction"}
# Plain word lists: one string each reads better than a list literal with a line per word.
WORDS = (  # noqa: SIM905
    "amber autumn bridge candle castle cedar city cloud copper crown dawn desert dream echo ember feather "
    "field forest fox garden glass harbor hollow island ivory journey kingdom lantern letter library maple "
    "meadow midnight mirror moon mountain night orchard paper path pearl quiet rain raven river road rose "
    "salt secret shadow silver sky snow song spring star stone storm summer sun thread tide tower valley "
    "velvet village voyage water whisper willow wind winter wolf word"
).split()
FIRST_NAMES = "Ada Ben Clara Dev Elena Farid Grace Hugo Ines Jonas Kira Leo Maya Nils Olga".split()  # noqa: SIM905
LAST_NAMES = "Abbott Brandt Castro Dubois Eriksen Fischer Garcia Haddad Ito Jensen Lind".split()  # noqa: SIM905
CUSTOMER = {
    "email": "reader@bench.local",
    "username": "bench-reader",
    "first_name": "Robin",
    "password": "bench-pages-reader-2024",
}
CART_BOOKS = 2  # books in the customer's cart, one copy each: the badge shows 2
SPREAD_BOOKS = 500  # the long-tail book pages: so many different books


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--database", default="bench_pages", help="MariaDB database (dropped first).")
    parser.add_argument("--sqlite", action="store_true", help="Use bench/results/pages.sqlite3 instead.")
    parser.add_argument("--skip-load", action="store_true", help="Reuse the database loaded last time.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (sync).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections.")
    parser.add_argument("--seconds", type=int, default=15, help="Seconds per page and round.")
    parser.add_argument("--rounds", type=int, default=1, help="Rounds per page (the median is shown).")
    parser.add_argument("--port", type=int, default=8777)
    parser.add_argument(
        "--only", metavar="TEXT", help="Measure only the pages whose name holds TEXT (and the floor)."
    )
    parser.add_argument("--profile", metavar="URL", help="Profile this URL in-process instead.")
    parser.add_argument("--requests", type=int, default=200, help="--profile: requests to profile.")
    parser.add_argument("--logged-in", action="store_true", help="--profile: as the bench customer.")
    parser.add_argument("--caches-off", action="store_true", help="--profile: with both caches off.")
    args = parser.parse_args()
    if args.database in {"bookstore", "mysql", "information_schema", "performance_schema", "sys"}:
        sys.exit(f"refusing to drop the database {args.database!r}")
    if not args.profile and not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        database_url = f"sqlite:///{RESULTS / 'pages.sqlite3'}"
    else:
        server_url = os.environ.get("BENCH_SERVER_URL", "mysql://root@127.0.0.1:3306").rstrip("/")
        database_url = f"{server_url}/{args.database}"
    env = bench_env(
        database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_STATIC_ROOT=str(RESULTS / "static"),
    )
    if args.profile:
        _profile(args, {**env, **(CACHES_OFF if args.caches_off else {})})
    elif args.sqlite:
        sys.exit(_run(args, env))
    else:
        with BufferPoolRaised(server_url):  # --books 1000000 does not fit MariaDB's packaged 128 MiB
            sys.exit(_run(args, env))


# --- Loading -----------------------------------------------------------------------------------------


def _load(env: dict[str, str], books: int) -> None:
    """A fresh database with the genre tree, the books (through `manage.py import_books`) and the
    customer with a filled cart."""
    prepare_scratch_database(env)
    from catalog.models import Genre

    genres: dict[str, Genre] = {}
    for slug, name, parent in GENRES:
        genres[slug] = Genre.objects.create(slug=slug, name=name, parent=genres.get(parent))
    path = RESULTS / "pages-books.csv"
    _write_books(path, books)
    started = time.monotonic()
    summary = manage(env, "import_books", str(path), "--no-progress").strip()
    print(f"manage.py import_books: {summary} ({time.monotonic() - started:.0f} s)")
    _customer_create()


def _write_books(path: Path, books: int) -> None:
    """(isbn, title, ...) rows, the same for the same count. The first book (the lowest id: the book page)
    is in stock and in a sub-sub-genre of fiction, so its page draws a full breadcrumb and the buy box;
    a dozen titles spread over the file contain "Lighthouse", and no other text does."""
    from catalog.isbn import isbn13_from_prefix

    rng = random.Random(2017)
    slugs = [slug for slug, _, _ in GENRES]
    lighthouse_rows = set(rng.sample(range(1, books), 12))
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["isbn", "title", "author", "description", "price", "stock", "genre"])
        for row in range(books):
            words = rng.sample(WORDS, rng.randint(2, 4))
            if row in lighthouse_rows:
                words.insert(rng.randrange(len(words) + 1), SEARCH_WORD)
            genre = rng.choice(slugs) if rng.random() > 0.05 else ""
            stock = 0 if rng.random() < 0.1 else rng.randint(1, 50)
            if row == 0:
                genre, stock = "cozy-mystery", 12
            writer.writerow(
                [
                    isbn13_from_prefix(f"979{row:09d}"),
                    " ".join(words).capitalize(),
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    " ".join(rng.choices(WORDS, k=rng.randint(20, 60))).capitalize() + ".",
                    f"{rng.randint(500, 6000) / 100:.2f}",
                    stock,
                    genre,
                ]
            )


def _customer_create() -> None:
    from accounts.services import user_register
    from cart.services import cart_add_book
    from catalog.models import Book

    user = user_register(**CUSTOMER)
    for book_id in Book.objects.filter(stock__gt=0).order_by("pk").values_list("pk", flat=True)[:CART_BOOKS]:
        cart_add_book(user=user, book_id=book_id, quantity=1)


# --- What each page must show ------------------------------------------------------------------------


@dataclass
class Expected:
    """The right answers, read from the database by plain queries (not through the app's code)."""

    total: int
    newest: list[tuple[int, str]]  # (id, title) of the catalog's first page: newest first
    matches: dict[int, str]  # every book with the search word in its title
    genre_total: int
    genre_newest: list[tuple[int, str]]
    book_id: int
    book_title: str
    book_price: Decimal
    spread_book_ids: list[int]  # the long tail: SPREAD_BOOKS books spread over the catalog

    @classmethod
    def read(cls) -> "Expected":
        from catalog.models import Book

        active = Book.objects.filter(is_active=True).order_by("-created_at", "-id")
        in_genre = active.filter(genre__slug__in=FICTION_SLUGS)
        matches = dict(active.filter(title__icontains=SEARCH_WORD).values_list("pk", "title"))
        book = Book.objects.order_by("pk").first()
        ids = list(Book.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
        if not 0 < len(matches) <= 20:
            sys.exit(f"the data needs 1 to 20 books with {SEARCH_WORD!r} in the title, not {len(matches)}")
        return cls(
            total=active.count(),
            newest=list(active.values_list("pk", "title")[:20]),
            matches=matches,
            genre_total=in_genre.count(),
            genre_newest=list(in_genre.values_list("pk", "title")[:20]),
            book_id=book.pk,
            book_title=book.title,
            book_price=book.price,
            spread_book_ids=ids[:: max(1, len(ids) // SPREAD_BOOKS)][:SPREAD_BOOKS],
        )


_CARD = re.compile(r'<h3 class="book-card__title" id="book-(\d+)-title">\s*<a href="[^"]*">([^<]*)</a>')
_COUNT = re.compile(r'class="results-count"[^>]*>([\d,]+) book')


def _cards(page: str) -> list[tuple[int, str]]:
    return [(int(pk), html.unescape(title)) for pk, title in _CARD.findall(page)]


def _shown_total(page: str) -> int | None:
    found = _COUNT.search(page)
    return int(found.group(1).replace(",", "")) if found else None


def _same_books(what: str, shown: list[tuple[int, str]], wanted: list[tuple[int, str]]) -> list[str]:
    if shown == wanted:
        return []
    missing = [book for book in wanted if book not in shown]
    extra = [book for book in shown if book not in wanted]
    if not missing and not extra:
        return [f"{what}: in the wrong order, {[pk for pk, _ in shown]}"]
    return [f"{what}: missing {missing[:5]}, not expected {extra[:5]}"]


def _list_page_check(expected: Expected, kind: str) -> Callable[[str], list[str]]:
    def check(page: str) -> list[str]:
        cards, total = _cards(page), _shown_total(page)
        if kind == "catalog":
            wanted, wanted_total = expected.newest, expected.total
            problems = _same_books("the newest books", cards, wanted)
        elif kind == "genre":
            wanted, wanted_total = expected.genre_newest, expected.genre_total
            problems = _same_books(f"the newest books of {GENRE} and its sub-genres", cards, wanted)
        else:
            wanted_total = len(expected.matches)
            problems = _same_books(
                f"the books matching {SEARCH_WORD!r}",
                sorted(cards),
                sorted(expected.matches.items()),
            )
        if total != wanted_total:
            problems.append(f"says {total} books, expected {wanted_total}")
        return problems

    return check


def _book_page_check(expected: Expected) -> Callable[[str], list[str]]:
    def check(page: str) -> list[str]:
        problems = []
        title = re.search(r'<h1 id="book-title">([^<]*)</h1>', page)
        if not title or html.unescape(title.group(1)) != expected.book_title:
            problems.append(f"title {title and title.group(1)!r}, expected {expected.book_title!r}")
        price = f"${expected.book_price:,.2f}"
        if f'<p class="price price--large">{price}</p>' not in page:
            problems.append(f"no price {price}")
        return problems

    return check


def _logged_in_check(page: str) -> list[str]:
    problems = []
    if not re.search(rf'<span class="cart-link__count"[^>]*>{CART_BOOKS}</span>', page):
        problems.append(f"no cart badge showing {CART_BOOKS}")
    if not re.search(rf'<details class="account-menu">\s*<summary>{CUSTOMER["first_name"]}<', page):
        problems.append(f"no user menu for {CUSTOMER['first_name']}")
    return problems


def _anonymous_check(page: str) -> list[str]:
    return ["shows a user menu to an anonymous visitor"] if "account-menu" in page else []


def _api_list_check(wanted: list[int], total: int, *, any_order: bool = False) -> Callable[[str], list[str]]:
    def check(body: str) -> list[str]:
        data = json.loads(body)
        ids = [book["id"] for book in data["results"]]
        if any_order:
            ids, want = sorted(ids), sorted(wanted)
        else:
            want = wanted
        problems = [] if ids == want else [f"ids {ids[:5]}…, expected {want[:5]}…"]
        if data["count"] != total:
            problems.append(f"count {data['count']}, expected {total}")
        return problems

    return check


def _api_detail_check(expected: Expected) -> Callable[[str], list[str]]:
    def check(body: str) -> list[str]:
        data = json.loads(body)
        got = (data["id"], data["title"], Decimal(data["price"]))
        wanted = (expected.book_id, expected.book_title, expected.book_price)
        return [] if got == wanted else [f"{got}, expected {wanted}"]

    return check


@dataclass
class Page:
    name: str
    path: str
    check: Callable[[str], list[str]]
    kind: str  # "floor", "api" or "page"
    logged_in: bool = False
    load_paths: tuple[str, ...] = ()  # what wrk rotates over, when not only `path` (which is checked)


def _pages(expected: Expected) -> list[Page]:
    newest_ids = [pk for pk, _ in expected.newest]
    book = f"/books/{expected.book_id}/"
    search = f"/?search={SEARCH_WORD}"
    genre = f"/?genre={GENRE}"

    def ping_check(body: str) -> list[str]:
        return [] if json.loads(body) == {"status": "ok"} else [f"answered {body[:80]!r}"]

    pages = [
        Page("floor: /api/ping/", "/api/ping/", ping_check, "floor"),
        Page("API list /api/books/", "/api/books/", _api_list_check(newest_ids, expected.total), "api"),
        Page(
            f"API search ?search={SEARCH_WORD}",
            f"/api/books/?search={SEARCH_WORD}",
            _api_list_check(list(expected.matches), len(expected.matches), any_order=True),
            "api",
        ),
        Page(
            f"API book /api/books/{expected.book_id}/",
            f"/api/books/{expected.book_id}/",
            _api_detail_check(expected),
            "api",
        ),
    ]
    html_pages = [
        ("book page", book, _book_page_check(expected)),
        ("catalog page /", "/", _list_page_check(expected, "catalog")),
        ("search page", search, _list_page_check(expected, "search")),
        ("genre page", genre, _list_page_check(expected, "genre")),
    ]
    for logged_in in (False, True):
        for name, path, content_check in html_pages:
            identity = _logged_in_check if logged_in else _anonymous_check

            def check(page: str, content_check=content_check, identity=identity) -> list[str]:
                return content_check(page) + identity(page)

            label = f"{name} {path}" if name != "catalog page /" else name
            pages.append(Page(f"{label}{', logged in' if logged_in else ''}", path, check, "page", logged_in))
    spread = tuple(f"/books/{pk}/" for pk in expected.spread_book_ids)
    pages.append(
        Page(f"book pages, {len(spread)} books", book, _book_page_check(expected), "page", load_paths=spread)
    )
    return pages


# --- Serving and measuring ---------------------------------------------------------------------------


class Transcript:
    """Prints each line and keeps it in bench/results/pages-<time>.txt."""

    def __init__(self, path: Path):
        self.path = path
        self.file = path.open("w", encoding="utf-8")

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        self.file.write(text + "\n")
        self.file.flush()


def _run(args, env: dict[str, str]) -> int:
    if args.skip_load:
        os.environ.update(env)
        import django

        django.setup()
    else:
        _load(env, args.books)
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput")  # the pages link their CSS through the static manifest
    from django.core.cache import caches

    caches["search"].clear()  # no hits left from an earlier run
    caches["default"].clear()  # nor login failures
    expected = Expected.read()
    pages = [page for page in _pages(expected) if page.kind == "floor" or (args.only or "") in page.name]
    out = Transcript(RESULTS / f"pages-{datetime.now():%Y%m%d-%H%M%S}.txt")
    out(
        f"{expected.total:,} books on {env['DATABASE_URL'].split('://')[0]}; gunicorn (gunicorn.conf.py) with"
        f" {args.workers} sync workers, bench/settings.py; wrk -t{args.threads} -c{args.connections}"
        f" -d{args.seconds}s, {args.rounds} round(s) after a 2 s warm-up (the round with the median req/s)."
    )
    out(
        f"Logged in: {CUSTOMER['email']}, {CART_BOOKS} books in the cart. Load average before: {load_average()}"
    )
    failures: list[str] = []
    results: dict[str, dict[str, dict]] = {}
    for config, overrides in (("shipped", {}), ("caches off", CACHES_OFF)):
        with gunicorn({**env, **overrides}, port=args.port, workers=args.workers):
            cookie = _log_in(args.port)
            problems = _check_pages(args.port, pages, cookie)
            if not problems:
                results[config] = _measure(args, pages, cookie)
        if problems:  # measuring wrong pages would be pointless
            failures += [f"{config}: {problem}" for problem in problems]
            break
        for name, result in results[config].items():
            if result["not_200"] or result["errors"]:
                failures.append(
                    f"{config}: {name}: {result['not_200']} responses not 200 and "
                    f"{result['errors']} socket errors under wrk"
                )
        _table(out, config, results[config], overrides)
    if results:
        out(f"\nLoad average after: {load_average()}")
        _verdicts(out, results, pages)
    out()
    for failure in failures:
        out(f"CORRECTNESS FAILED  {failure}")
    out("Correctness: " + ("FAILED" if failures else "every page right, every response 200"))
    out(
        f"(written to {out.path.relative_to(Path.cwd()) if out.path.is_relative_to(Path.cwd()) else out.path})"
    )
    return 1 if failures else 0


def _log_in(port: int) -> str:
    """Logs the customer in through the login form, as a browser does; returns the Cookie header."""
    status, headers, body = http_call(port, "GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    cookies = _cookies(headers)
    if status != 200 or not token or "csrftoken" not in cookies:
        sys.exit(f"GET /accounts/login/ answered {status} without a CSRF token")
    form = {"csrfmiddlewaretoken": token.group(1).decode(), **{k: CUSTOMER[k] for k in ("email", "password")}}
    status, headers, _ = http_call(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(form).encode(),
    )
    cookies.update(_cookies(headers))  # the session, and the CSRF token rotated at login
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"logging in answered {status} without a session")
    return f"csrftoken={cookies['csrftoken']}; sessionid={cookies['sessionid']}"


def _cookies(headers) -> dict[str, str]:
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or ():
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _get(port: int, page: Page, cookie: str) -> tuple[int, dict, str]:
    status, headers, body = http_call(
        port, "GET", page.path, headers={"Cookie": cookie} if page.logged_in else {}
    )
    return status, headers, body.decode("utf-8", errors="replace")


def _check_pages(port: int, pages: list[Page], cookie: str) -> list[str]:
    problems = []
    for page in pages:
        status, _, body = _get(port, page, cookie)
        if status != 200:
            problems.append(f"{page.name}: answered {status}")
            continue
        problems += [f"{page.name}: {problem}" for problem in page.check(body)]
    return problems


def _measure(args, pages: list[Page], cookie: str) -> dict[str, dict]:
    loads = {
        page.name: Load(
            list(page.load_paths or [page.path]),
            args.connections,
            threads=args.threads,
            headers={"Cookie": cookie} if page.logged_in else {},
        )
        for page in pages
    }
    queries = {}
    for page in pages:
        # Caches filled (as in production) and every worker's database connection opened.
        wrk(args.port, loads[page.name], 2)
        queries[page.name] = _get(args.port, page, cookie)[1]["X-Query-Count"]
    results = wrk_rounds(args.port, loads, seconds=args.seconds, rounds=args.rounds)
    for name, result in results.items():
        result["queries"] = queries[name]
    return results


def _table(out: Transcript, config: str, results: dict[str, dict], overrides: dict) -> None:
    from django.conf import settings

    if overrides:
        caching = ", ".join(f"{name}={value}" for name, value in overrides.items())
    else:
        caching = (
            f"a page of /api/books/ kept {settings.BOOK_LIST_CACHE_SECONDS} s per process,"
            f" a search's hits {settings.SEARCH_CACHE_SECONDS} s in the shared cache"
        )
    header = f"{'page':44} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'p99.9':>7} {'floor':>6} {'queries':>7}"
    out(f"\n{config} ({caching})")
    out(header)
    out("-" * len(header))
    floor = results["floor: /api/ping/"]["rate"]
    for name, result in results.items():
        bad = result["not_200"] + result["errors"]
        out(
            f"{name:44} {result['rate']:7.0f} {result['p50'] / 1000:7.1f} {result['p99'] / 1000:7.1f} "
            f"{result['p999'] / 1000:7.1f} "
            f"{result['rate'] / floor:6.0%} {result['queries']:>7}{f'  ({bad} NOT 200)' if bad else ''}"
        )


def _verdicts(out: Transcript, results: dict[str, dict[str, dict]], pages: list[Page]) -> None:
    """Issue 17's goals: the shipped server for all of them (shares and p99), and the API list's and
    search's with caches off (20 %, p99). A goal missed is printed, not an error; the other pages' p99
    with caches off (each rendered afresh) is shown for information."""
    checks = []

    def share(config: str, page: Page, goal: float, what: str) -> None:
        rows = results.get(config)
        if not rows:
            return
        rate = rows[page.name]["rate"] / rows["floor: /api/ping/"]["rate"]
        checks.append(
            (f"{config}: {page.name}: {what} >= {goal:.0%} of the floor ({rate:.0%})", rate >= goal)
        )

    # The API list and search: the only rows the issue sets a goal for with caches off.
    api_lists = {page.name for page in pages if "/api/books/?" in page.path or page.path == "/api/books/"}
    for page in pages:
        if page.kind == "api":
            share("shipped", page, 0.50, "API")
            if page.name in api_lists:
                share("caches off", page, 0.20, "API, caches off,")
        elif page.kind == "page":
            share("shipped", page, 0.10 if page.logged_in else 0.25, "page")

    def slow(config: str, names: set[str] | None = None) -> str:
        """The rows (of `names`, or all) whose p99 is 50 ms or more, with it."""
        rows = results.get(config, {})
        return ", ".join(
            f"{name} {row['p99'] / 1000:.0f} ms"
            for name, row in rows.items()
            if row["p99"] >= 50_000 and (names is None or name in names)
        )

    if "shipped" in results:
        late = slow("shipped")
        checks.append((f"shipped: p99 < 50 ms on every page{f' — not: {late}' if late else ''}", not late))
    if "caches off" in results:
        late = slow("caches off", api_lists)
        checks.append(
            (
                f"caches off: p99 < 50 ms on the API list and search{f' — not: {late}' if late else ''}",
                not late,
            )
        )
    out("\nIssue 17's goals (a FAIL here does not change the exit status):")
    for label, passed in checks:
        out(f"{'PASS' if passed else 'FAIL'}  {label}")
    late = slow("caches off")
    if late:  # every page rendered afresh: measured to see that cost, no goal of the issue's
        out(f"info  caches off, p99 of 50 ms or more: {late}")


# --- Profiling ---------------------------------------------------------------------------------------


def _profile(args, env: dict[str, str]) -> None:
    """`--requests` GETs of one URL through the whole Django stack (middleware, view, templates) in this
    process, under pyinstrument; a few unprofiled requests first fill caches and compile templates."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("pyinstrument is needed: .venv/bin/pip install -r requirements-dev.txt")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import DatabaseError
    from django.test import Client

    from accounts.models import User
    from catalog.models import Book

    try:
        loaded = Book.objects.exists()
    except DatabaseError:
        loaded = False
    if not loaded:
        sys.exit(f"no books in {env['DATABASE_URL']}: run bench/pages.py once first")
    manage(env, "collectstatic", "--noinput")
    client = Client(HTTP_HOST="127.0.0.1")
    if args.logged_in:
        client.force_login(User.objects.get(email=CUSTOMER["email"]))
    for _ in range(10):
        response = client.get(args.profile)
        if response.status_code != 200:
            sys.exit(f"GET {args.profile} answered {response.status_code}")
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.requests):
            client.get(args.profile)
    elapsed = time.perf_counter() - started
    print(
        f"GET {args.profile}{' logged in' if args.logged_in else ''}: {args.requests} requests in"
        f" {elapsed:.2f} s ({elapsed / args.requests * 1000:.2f} ms each, profiler included),"
        f" {response['X-Query-Count']} queries each"
    )
    print(profiler.output_text(unicode=True, color=False, time="percent_of_total"))
    # Where the time is spent, function by function (library code included): the hotspots.
    flat = profiler.output_text(unicode=True, color=False, flat=True, time="percent_of_total")
    print("\n".join(flat.splitlines()[:40]))
    report = RESULTS / f"profile-{datetime.now():%Y%m%d-%H%M%S}.html"
    report.write_text(profiler.output_html(), encoding="utf-8")
    print(f"HTML report: {report}")


if __name__ == "__main__":
    main()

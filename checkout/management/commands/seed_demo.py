"""`python manage.py seed_demo`: fills the shop with the demo catalog, two demo accounts, and the
shipping methods and tax rates a demo checkout needs (US states, the UK, Germany).

It lives in the checkout layer because it fills several apps (accounts, catalog, orders) through their
services. Safe to run again: genres are found by slug, books by ISBN, accounts by email, shipping
methods by code and tax rates by place and class, so a second run creates nothing and changes nothing.
Stock goes through catalog.services.book_create, which writes the 'initial' ledger row, exactly as when
staff add a book.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from accounts.services import user_register
from catalog.demo_catalog import GENRES, BookSpec, demo_books
from catalog.models import Book, Genre
from catalog.services import book_create, genre_save
from orders.models import ShippingMethod, TaxRate
from orders.shipping import shipping_method_create
from orders.taxes import tax_rate_create

User = get_user_model()

DEFAULT_BOOK_COUNT = 300

# (code, name, countries, base price, per copy, free over, days min–max)
DEMO_SHIPPING_METHODS = [
    ("us-ground", "US Ground", ["US"], "4.99", "0.99", "50.00", 3, 7),
    ("us-express", "US Express", ["US"], "14.99", "1.99", None, 1, 2),
    ("uk-royal-mail", "Royal Mail 2nd Class", ["GB"], "2.99", "0.50", "25.00", 2, 4),
    ("de-dhl", "DHL Paket", ["DE"], "4.90", "0.00", "29.00", 1, 3),
    ("world", "International Standard", [], "12.00", "2.00", None, 7, 21),
    ("pickup", "Collect from the shop", [], "0.00", "0.00", None, 0, 1),
]
# (country, region, tax class, rate): US sales tax by state (books are taxed at the state's rate);
# VAT in the UK (books zero-rated) and Germany (books at the reduced rate).
DEMO_TAX_RATES = [
    *[
        (("US", state, tax_class, rate))
        for state, rate in (
            ("CA", "0.0725"),
            ("NY", "0.0400"),
            ("TX", "0.0625"),
            ("IL", "0.0625"),
            ("WA", "0.0650"),
        )
        for tax_class in ("standard", "reduced")
    ],
    ("GB", "", "standard", "0.2000"),
    ("GB", "", "reduced", "0.0000"),
    ("DE", "", "standard", "0.1900"),
    ("DE", "", "reduced", "0.0700"),
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    username: str
    password: str
    first_name: str
    last_name: str
    is_staff: bool


DEMO_ACCOUNTS = [
    DemoAccount("staff", "staff@bookstore.local", "staff", "shelf-keeper-2024", "Sam", "Keeper", True),
    DemoAccount(
        "customer", "customer@bookstore.local", "reader", "page-turner-2024", "Robin", "Reader", False
    ),
]


class Command(BaseCommand):
    help = "Fill the database with the demo catalog and a staff and a customer account. Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--books", type=int, default=DEFAULT_BOOK_COUNT, help="How many demo books.")

    def handle(self, *args, books: int, verbosity: int, **options):
        with transaction.atomic():
            accounts = [(account, _account_ensure(account)) for account in DEMO_ACCOUNTS]
            staff = next(user for account, (user, _created) in accounts if account.is_staff)
            genres = _genres_ensure()
            added = _books_ensure(demo_books(count=books), genres=genres, actor=staff, progress=verbosity > 0)
            _shipping_and_tax_ensure()
        if verbosity == 0:
            return
        in_stock = Book.objects.filter(is_active=True, stock__gt=0).count()
        self.stdout.write(
            f"Demo catalog: {Book.objects.filter(is_active=True).count()} books ({in_stock} in stock) "
            f"in {Genre.objects.count()} genres; {added} books added by this run."
        )
        self.stdout.write(
            f"Shipping methods: {ShippingMethod.objects.count()}; tax rates: {TaxRate.objects.count()}."
        )
        self.stdout.write("Demo accounts:")
        for account, (_user, created) in accounts:
            note = "" if created else "  (already there; password as you left it)"
            self.stdout.write(f"  {account.role:<9} {account.email:<26} password: {account.password}{note}")


def _account_ensure(account: DemoAccount) -> tuple[User, bool]:
    """The demo user with this email, registered through the normal service when missing."""
    user = User.objects.filter(email__iexact=account.email).first()
    if user is not None:
        return user, False
    user = user_register(
        email=account.email,
        username=account.username,
        password=account.password,
        first_name=account.first_name,
        last_name=account.last_name,
    )
    if account.is_staff:
        # Superuser too, so the demo's staff member sees every model in /admin/.
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        user.refresh_from_db()
    return user, True


def _genres_ensure() -> dict[str, Genre]:
    genres = {genre.slug: genre for genre in Genre.objects.filter(slug__in=[spec.slug for spec in GENRES])}
    for spec in GENRES:  # parents come first
        if spec.slug not in genres:
            parent = genres[spec.parent_slug] if spec.parent_slug else None
            genres[spec.slug] = genre_save(name=spec.name, slug=spec.slug, parent=parent)
    return genres


def _books_ensure(specs: list[BookSpec], *, genres: dict[str, Genre], actor, progress: bool) -> int:
    """Creates the books whose ISBN is not in the database yet; returns how many it created."""
    existing = set(Book.objects.filter(isbn__in=[spec.isbn for spec in specs]).values_list("isbn", flat=True))
    missing = [spec for spec in specs if spec.isbn not in existing]
    for spec in tqdm(missing, desc="Demo books", unit="book", disable=not progress or not missing):
        book_create(
            actor=actor,
            stock=spec.stock,
            title=spec.title,
            author=spec.author,
            isbn=spec.isbn,
            description=spec.description,
            price=spec.price,
            genre=genres[spec.genre_slug],
        )
    return len(missing)


def _shipping_and_tax_ensure() -> None:
    """The demo's shipping methods and tax rates, each created through its service when missing."""
    existing = set(ShippingMethod.objects.values_list("code", flat=True))
    for code, name, countries, base, per_item, free_over, days_min, days_max in DEMO_SHIPPING_METHODS:
        if code not in existing:
            shipping_method_create(
                code=code,
                name=name,
                countries=countries,
                base_price=base,
                per_item_price=per_item,
                free_over=free_over,
                estimated_days_min=days_min,
                estimated_days_max=days_max,
            )
    places = set(TaxRate.objects.values_list("country", "region", "tax_class"))
    for country, region, tax_class, rate in DEMO_TAX_RATES:
        if (country, region, tax_class) not in places:
            tax_rate_create(country=country, region=region, tax_class=tax_class, rate=rate)

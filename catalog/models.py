"""Catalog: nested genres, books, the stock ledger every stock change is written to, and what customers
attach to books: wishlist entries, pre-bookings of sold-out titles (reviews are the reviews app's), and
their preferences (which mail about books they want, their favourite genres)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .isbn import isbn_validate


def _validate_isbn_field(value):
    """Kept for migrations/0001_initial.py, which names it; books are validated by catalog.validation."""
    isbn_validate(value)


class Genre(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


DEFAULT_LOW_STOCK_THRESHOLD = 5


class TaxClass(models.TextChoices):
    """Which of the destination's tax rates applies to a book (and, `standard`, to shipping)."""

    STANDARD = "standard", "Standard rate"
    REDUCED = "reduced", "Reduced rate (books in most countries)"
    ZERO = "zero", "Zero rate"


class Book(models.Model):
    title = models.CharField(max_length=255, db_index=True)
    author = models.CharField(max_length=255)  # indexed by book_author_sales_idx (below)
    isbn = models.CharField("ISBN-13", max_length=13, unique=True)
    description = models.TextField(blank=True)
    # What a valid book is (price range, ISBN checksum...) is catalog.validation's; the constraints
    # below are the database's last word.
    price = models.DecimalField(max_digits=10, decimal_places=2)
    # Signed on purpose: on MySQL/MariaDB an UNSIGNED column answers a negative value with a range
    # error (DataError) before the CHECK below can answer it with the IntegrityError callers expect.
    stock = models.IntegerField(default=0)
    # At or under this many copies the book is "low on stock": the dashboard, the low-stock report and
    # the inventory report's reorder suggestion use it.
    low_stock_threshold = models.PositiveIntegerField(
        default=DEFAULT_LOW_STOCK_THRESHOLD, help_text="The book counts as low on stock at or under this."
    )
    genre = models.ForeignKey(Genre, null=True, blank=True, related_name="books", on_delete=models.SET_NULL)
    cover = models.ImageField(upload_to="covers/", blank=True)
    tax_class = models.CharField(max_length=10, choices=TaxClass.choices, default=TaxClass.REDUCED)
    # Kept in step by the review services (same transaction), so lists can sort by rating cheaply.
    avg_rating = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0)
    # A removed book leaves the catalog but stays for the orders and ledger rows that point to it.
    is_active = models.BooleanField(default=True)
    # The names of the book's genre and of every genre above it ("Fiction / Crime / Mystery"), kept in
    # step by the catalog services, so a search finds a book by its genre through the same FULLTEXT
    # index (catalog/search.py) as by its title.
    genre_names = models.TextField(blank=True, default="", editable=False)
    # Paid copies in the last 30 days, for the "Bestsellers" order. Written by `book_sales_set`, which the
    # orders app's `refresh_bestsellers` command calls (the catalog cannot read orders): it lags by as
    # long as that command's schedule.
    units_sold_30d = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="book_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="book_price_positive"),
        ]
        indexes = [
            models.Index(fields=["is_active", "price"], name="book_active_price_idx"),
            models.Index(fields=["is_active", "avg_rating"], name="book_active_rating_idx"),
            models.Index(fields=["is_active", "units_sold_30d"], name="book_active_sales_idx"),
            # "More by this author" (bestsellers first, newest among equals) reads the first rows of it
            # rather than sorting all of a prolific author's books; author lookups and prefixes (the
            # search box's suggestions) use its first column.
            models.Index(fields=["author", "units_sold_30d", "created_at"], name="book_author_sales_idx"),
            # A genre's count (its page's total) reads only this index instead of every book of the genre:
            # 11 ms instead of 106 ms for 33,000 of a million books.
            models.Index(fields=["genre", "is_active"], name="book_genre_active_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.author})"


class StockMovement(models.Model):
    """One row per stock change; `delta` sums to the book's stock, `stock_after` is the result."""

    class Reason(models.TextChoices):
        INITIAL = "initial", "Initial stock"
        ADJUSTMENT = "adjustment", "Manual adjustment"
        RESTOCK = "restock", "Restock"
        CORRECTION = "correction", "Correction (stock-take)"
        DAMAGED = "damaged", "Damaged or lost"
        RETURN = "return", "Customer return"
        OTHER = "other", "Other"
        ORDER = "order", "Order placed"
        CANCELLATION = "cancellation", "Order cancelled"
        IMPORT = "import", "Bulk import"

    book = models.ForeignKey(Book, related_name="stock_movements", on_delete=models.PROTECT)
    delta = models.IntegerField()
    stock_after = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=255, blank=True)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, related_name="stock_movements", on_delete=models.PROTECT
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["book", "-created_at"], name="stockmove_book_time_idx"),
            # The ledger across all books (admin list, stock-movements report) reads newest first.
            models.Index(fields=["-created_at"], name="stockmove_time_idx"),
        ]

    def __str__(self):
        return f"{self.book_id}: {self.delta:+d} → {self.stock_after} ({self.reason})"


class PriceChange(models.Model):
    """One row per price a book has had: its first price, then every change (the book's price history).
    Written by the catalog services whenever they write a price, never edited."""

    class Reason(models.TextChoices):
        INITIAL = "initial", "First price"
        EDIT = "edit", "Price edited"
        IMPORT = "import", "Bulk import"

    book = models.ForeignKey(Book, related_name="price_changes", on_delete=models.PROTECT)
    old_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    new_price = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    # Not auto_now_add: the migration that started the history dates each first price at its book's birth.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["book", "-created_at"], name="pricechange_book_time_idx")]

    def __str__(self):
        return f"{self.book_id}: {self.old_price or '—'} → {self.new_price} ({self.reason})"


class WishlistItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="wishlist_items", on_delete=models.CASCADE
    )
    book = models.ForeignKey(Book, related_name="wishlist_items", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "book"], name="wishlist_one_per_user_book")]

    def __str__(self):
        return f"book {self.book_id} on the wishlist of user {self.user_id}"


class PreBooking(models.Model):
    """A customer waiting for a sold-out title; notified once when its stock comes back."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        NOTIFIED = "notified", "Notified"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="prebookings", on_delete=models.CASCADE)
    book = models.ForeignKey(Book, related_name="prebookings", on_delete=models.CASCADE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # True while waiting, NULL afterwards. NULLs never collide in a unique index, so the constraint below
    # allows any number of past pre-bookings but a single waiting one per user and title, on every
    # database (MariaDB has no partial unique indexes).
    waiting = models.BooleanField(null=True, default=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "book", "waiting"], name="prebooking_one_waiting"),
            models.CheckConstraint(
                condition=Q(status="waiting", waiting=True)
                | (~Q(status="waiting") & Q(waiting__isnull=True)),
                name="prebooking_waiting_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["book", "status"], name="prebooking_book_status_idx")]

    def __str__(self):
        return f"pre-booking {self.pk}: book {self.book_id} for user {self.user_id} ({self.status})"


class ShopperPreferences(models.Model):
    """What a customer wants to hear about, and their favourite genres: one row per user, written on
    their first change. Until then `catalog.selectors.preferences_for` answers these defaults.
    Transactional mail (orders, payments, refunds, passwords) does not ask: it is always sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        related_name="shopper_preferences",
        on_delete=models.CASCADE,
    )
    restock_alerts = models.BooleanField(default=True)
    review_invites = models.BooleanField(default=True)
    marketing_emails = models.BooleanField(default=False)
    favourite_genres = models.ManyToManyField(Genre, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "shopper preferences"

    def __str__(self):
        return f"preferences of user {self.user_id}"


class BookRelation(models.Model):
    """ "Customers also bought": `related` was bought in the same orders as `book`, `score` times (distinct
    paid-or-later orders). Written whole by `book_relations_replace`, which the orders app's
    `refresh_related_books` command calls; a book's top few only."""

    book = models.ForeignKey(Book, related_name="relations", on_delete=models.CASCADE)
    related = models.ForeignKey(Book, related_name="+", on_delete=models.CASCADE)
    score = models.PositiveIntegerField()

    class Meta:
        ordering = ["book", "-score", "related"]
        constraints = [
            models.UniqueConstraint(fields=["book", "related"], name="bookrelation_one_per_pair"),
            models.CheckConstraint(condition=~Q(book=models.F("related")), name="bookrelation_not_itself"),
        ]
        indexes = [models.Index(fields=["book", "-score"], name="bookrelation_book_score_idx")]

    def __str__(self):
        return f"book {self.book_id} bought with {self.related_id} ({self.score}×)"


class SearchTerm(models.Model):
    """A word of the catalog's titles, authors and genre names, folded (lower case, no accents), with
    how many books use it: what "Did you mean …" may offer (catalog/spelling.py)."""

    word = models.CharField(max_length=64, unique=True)
    book_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.word


class SearchTermVariant(models.Model):
    """The term itself and the term with any one letter left out. A word and a term one edit apart
    (a letter wrong, missing, extra or two swapped) share a variant, so an indexed `IN` finds the
    candidates (the symmetric-delete method) on SQLite and MariaDB alike."""

    variant = models.CharField(max_length=64)
    term = models.ForeignKey(SearchTerm, related_name="variants", on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["variant", "term"], name="searchtermvariant_unique")]

    def __str__(self):
        return f"{self.variant} → {self.term_id}"

"""The catalog's staff pages. Every write goes through `catalog.services`, as from the API, and every
form judges its input with `catalog.validation`, so the admin refuses what the API refuses, in the
same words."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html

from core.admin_tools import CSVExportAdminMixin, ReadOnlyAdmin, ReadOnlyInline
from core.errors import PayloadTooLarge
from core.forms import ServiceRulesModelForm

from . import selectors, services
from .covers import cover_validate
from .models import DEFAULT_LOW_STOCK_THRESHOLD, Book, Genre, PreBooking, PriceChange, StockMovement, TaxClass
from .validation import book_clean, genre_clean


class GenreAdminForm(ServiceRulesModelForm):
    name = forms.CharField(required=False)
    slug = forms.CharField(required=False, help_text="Lower-case letters, digits and hyphens; unique.")

    class Meta:
        model = Genre
        fields = ["name", "slug", "parent"]

    def clean(self):
        cleaned = super().clean()
        try:
            genre_clean(
                name=cleaned.get("name"),
                slug=cleaned.get("slug"),
                parent=cleaned.get("parent"),
                genre=self.instance,
            )
        except ValidationError as exc:
            self.add_service_errors(exc)
        return cleaned


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    """Genres are written by `services.genre_save`, as from the API: a genre can never be nested in itself."""

    form = GenreAdminForm
    list_display = ["name", "slug", "parent"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        genre = services.genre_save(genre=obj if change else None, **form.cleaned_data)
        obj.pk = genre.pk


class HistoryInline(ReadOnlyInline):
    """A read-only history on the book's page (rows only the services write), newest first."""

    ordering = ["-created_at", "-id"]


class StockMovementInline(HistoryInline):
    model = StockMovement
    fields = readonly_fields = ["created_at", "delta", "stock_after", "reason", "note", "actor"]


class PriceChangeInline(HistoryInline):
    model = PriceChange
    verbose_name_plural = "price history"
    fields = readonly_fields = ["created_at", "old_price", "new_price", "reason", "actor"]


class InStockFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "in_stock"

    def lookups(self, request, model_admin):
        return [("yes", "In stock"), ("low", "Low (at or under its threshold)"), ("no", "Sold out")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(stock__gt=0)
        if self.value() == "no":
            return queryset.filter(stock=0)
        if self.value() == "low":
            return queryset.filter(stock__lte=F("low_stock_threshold"))
        return queryset


STOCK_REASONS = [
    (StockMovement.Reason.RESTOCK, "Restock (a delivery arrived)"),
    (StockMovement.Reason.CORRECTION, "Correction (a stock-take)"),
    (StockMovement.Reason.DAMAGED, "Damaged or lost"),
    (StockMovement.Reason.RETURN, "Returned by a customer"),
    (StockMovement.Reason.OTHER, "Other (say why in the note)"),
]


class BookAdminForm(ServiceRulesModelForm):
    """The book's fields as `catalog.validation.book_clean` judges them for every door; a stock change
    carries a reason and a note into the ledger."""

    title = forms.CharField(required=False)
    author = forms.CharField(required=False)
    isbn = forms.CharField(required=False, label="ISBN", help_text="ISBN-10 or ISBN-13; stored as ISBN-13.")
    price = forms.DecimalField(required=False)
    stock = forms.IntegerField(
        required=False, help_text="Copies on the shelf; a change is written to the stock ledger."
    )
    tax_class = forms.ChoiceField(
        choices=TaxClass.choices, required=False, help_text="Which of the destination's tax rates applies."
    )
    stock_reason = forms.ChoiceField(
        choices=STOCK_REASONS, initial=StockMovement.Reason.CORRECTION, label="Reason for a stock change"
    )
    stock_note = forms.CharField(required=False, max_length=255, label="Note for the stock ledger")
    low_stock_threshold = forms.IntegerField(
        required=False,
        initial=DEFAULT_LOW_STOCK_THRESHOLD,
        help_text="The book counts as low on stock at or under this many copies.",
    )

    class Meta:
        model = Book
        fields = [
            "title",
            "author",
            "isbn",
            "description",
            "price",
            "tax_class",
            "stock",
            "low_stock_threshold",
            "genre",
            "cover",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page posts back the count it showed, so `changed_data` tells an edited stock field from
        # one that merely shows a number a checkout has decremented since.
        self.fields["stock"].show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        fields = [
            name
            for name in (
                "title",
                "author",
                "isbn",
                "description",
                "price",
                "tax_class",
                "low_stock_threshold",
            )
            if name not in self.errors
        ]
        if "stock" not in self.errors and (not self.instance.pk or "stock" in self.changed_data):
            fields.append("stock")
        try:
            cleaned.update(book_clean({name: cleaned.get(name) for name in fields}, book=self.instance))
        except ValidationError as exc:
            self.add_service_errors(exc)
        if (
            "stock" in self.changed_data
            and self.instance.pk
            and cleaned.get("stock_reason") == StockMovement.Reason.OTHER
            and not cleaned.get("stock_note")
        ):
            self.add_error("stock_note", "Say why the stock changed.")
        return cleaned

    def clean_tax_class(self):
        """Left out of the form (an older page), the book keeps its class."""
        return self.cleaned_data["tax_class"] or self.instance.tax_class

    def clean_cover(self):
        """A new upload gets the same checks as the API's cover endpoint (type, decoding, size)."""
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            try:
                cover_validate(cover)
            except PayloadTooLarge as exc:
                raise forms.ValidationError(exc.detail) from exc
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return cover

    @property
    def new_cover(self) -> UploadedFile | None:
        cover = self.cleaned_data.get("cover")
        return cover if isinstance(cover, UploadedFile) else None


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    """Books are written by the catalog services, as from the API: a stock change goes through the ledger
    with its reason, and a book is removed from the catalog (never deleted: orders point at it)."""

    form = BookAdminForm
    list_display = [
        "title",
        "author",
        "isbn",
        "genre",
        "price",
        "stock",
        "low_stock_threshold",
        "avg_rating",
        "is_active",
    ]
    list_filter = ["is_active", InStockFilter, "genre"]
    list_select_related = ["genre"]
    search_fields = ["title", "author", "=isbn"]
    readonly_fields = ["is_active", "avg_rating", "review_count", "created_at", "updated_at", "whole_ledger"]
    inlines = [StockMovementInline, PriceChangeInline]
    list_per_page = 50
    actions = ["remove_from_catalog", "return_to_catalog"]

    def get_search_results(self, request, queryset, search_term):
        """The catalog's own search (FULLTEXT on MariaDB, exact ISBN), not a LIKE scan per field."""
        if not search_term.strip():
            return queryset, False
        return selectors.book_search(queryset, search_term), False

    def has_delete_permission(self, request, obj=None):
        return False  # "Remove from catalog" instead: orders and the ledger keep pointing at the book

    @admin.display(description="stock ledger")
    def whole_ledger(self, book):
        if not book.pk:
            return "—"
        url = reverse("admin:catalog_stockmovement_changelist") + f"?book__id__exact={book.pk}"
        return format_html('<a href="{}">All stock movements of this book</a> (filter, export as CSV)', url)

    def save_model(self, request, obj, form, change):
        """Through `book_create` / `book_update`, like the API. The stock column is only written, by the
        service and through the ledger, when the operator changed the field (a stock-take): a count a
        checkout has decremented since the page was shown is never put back."""
        data = form.cleaned_data
        fields = {name: data[name] for name in services.BOOK_FIELDS}
        if change:
            stock = {"stock": data["stock"]} if "stock" in form.changed_data else {}
            book = services.book_update(
                book=Book.objects.get(pk=obj.pk),
                actor=request.user,
                stock_reason=data["stock_reason"],
                stock_note=data["stock_note"] or "admin",
                **fields,
                **stock,
            )
        else:
            book = services.book_create(actor=request.user, stock=data.get("stock") or 0, **fields)
        if form.new_cover:
            services.book_set_cover(book=book, upload=form.new_cover)
        obj.pk = book.pk
        obj.refresh_from_db()

    @admin.action(description="Remove selected books from the catalog (waiting pre-bookings are cancelled)")
    def remove_from_catalog(self, request, queryset):
        books = list(queryset.filter(is_active=True))
        for book in books:
            services.book_deactivate(book=book)
        self.message_user(request, f"{len(books)} book(s) removed from the catalog.", messages.SUCCESS)

    @admin.action(description="Put selected books back in the catalog")
    def return_to_catalog(self, request, queryset):
        books = list(queryset.filter(is_active=False))
        for book in books:
            services.book_reactivate(book=book)
        self.message_user(request, f"{len(books)} book(s) back in the catalog.", messages.SUCCESS)


@admin.register(PreBooking)
class PreBookingAdmin(admin.ModelAdmin):
    list_display = ["id", "book", "user", "status", "created_at", "notified_at", "cancelled_at"]
    list_filter = ["status"]
    list_select_related = ["book", "user"]
    search_fields = ["book__title", "user__email"]
    readonly_fields = ["book", "user", "status", "created_at", "notified_at", "cancelled_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StockActorFilter(admin.SimpleListFilter):
    """Who moved the stock: a staff member by name, any customer (their orders), or nobody (a command)."""

    title = "who"
    parameter_name = "who"

    def lookups(self, request, model_admin):
        staff = get_user_model().objects.filter(
            is_staff=True, pk__in=StockMovement.objects.filter(actor__isnull=False).values("actor_id")
        )
        return [
            *((str(user.pk), user.get_username()) for user in staff.order_by("email")),
            ("customers", "Customers (their orders)"),
            ("system", "Nobody (scheduled jobs)"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "customers":
            return queryset.filter(actor__is_staff=False)
        if value == "system":
            return queryset.filter(actor__isnull=True)
        if value and value.isdigit():
            return queryset.filter(actor_id=int(value))
        return queryset


@admin.register(StockMovement)
class StockMovementAdmin(CSVExportAdminMixin, ReadOnlyAdmin):
    """The stock ledger across all books. A stock change is made on the book's page (with its reason);
    orders, cancellations and imports write theirs."""

    list_display = ["created_at", "book", "delta", "stock_after", "reason", "note", "order_number", "actor"]
    list_filter = [("book", admin.RelatedOnlyFieldListFilter), "reason", StockActorFilter, "created_at"]
    list_select_related = ["book", "actor"]
    search_fields = ["book__title", "=book__isbn", "note"]
    date_hierarchy = "created_at"
    list_per_page = 100
    csv_header = selectors.STOCK_LEDGER_CSV_HEADER

    def csv_rows(self, queryset):
        return selectors.stock_movement_csv_rows(queryset)

    @admin.display(description="order", ordering="order_id")
    def order_number(self, movement):
        return f"#{movement.order_id}" if movement.order_id else ""


@admin.register(PriceChange)
class PriceChangeAdmin(CSVExportAdminMixin, ReadOnlyAdmin):
    """Every price a book has had, across all books (each book's page shows its own)."""

    list_display = ["created_at", "book", "old_price", "new_price", "reason", "actor"]
    list_filter = ["reason", "created_at"]
    list_select_related = ["book", "actor"]
    search_fields = ["book__title", "=book__isbn"]
    date_hierarchy = "created_at"
    list_per_page = 100
    csv_header = ("when", "book_id", "isbn", "title", "old_price", "new_price", "reason", "by")

    def csv_rows(self, queryset):
        reasons = dict(PriceChange.Reason.choices)
        rows = queryset.values_list(
            "created_at",
            "book_id",
            "book__isbn",
            "book__title",
            "old_price",
            "new_price",
            "reason",
            "actor__email",
        )
        for when, book_id, isbn, title, old, new, reason, actor in rows.iterator(2000):
            yield (when.isoformat(), book_id, isbn, title, old, new, reasons.get(reason, reason), actor)

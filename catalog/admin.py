from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from core.errors import PayloadTooLarge

from . import selectors, services
from .covers import cover_validate
from .isbn import isbn_validate
from .models import Book, Genre, PreBooking, StockMovement


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class StockMovementInline(admin.TabularInline):
    model = StockMovement
    fields = ["created_at", "delta", "stock_after", "reason", "note", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InStockFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "in_stock"

    def lookups(self, request, model_admin):
        return [("yes", "In stock"), ("no", "Sold out")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(stock__gt=0)
        if self.value() == "no":
            return queryset.filter(stock=0)
        return queryset


class BookAdminForm(forms.ModelForm):
    isbn = forms.CharField(max_length=17, help_text="ISBN-10 or ISBN-13; stored as ISBN-13.")

    class Meta:
        model = Book
        fields = ["title", "author", "isbn", "description", "price", "stock", "genre", "cover", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page posts back the count it showed, so `changed_data` tells an edited stock field from
        # one that merely shows a number a checkout has decremented since.
        self.fields["stock"].show_hidden_initial = True

    def clean_isbn(self):
        return isbn_validate(self.cleaned_data["isbn"])

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
    form = BookAdminForm
    list_display = ["title", "author", "isbn", "genre", "price", "stock", "avg_rating", "is_active"]
    list_filter = ["is_active", InStockFilter, "genre"]
    list_select_related = ["genre"]
    search_fields = ["title", "author", "=isbn"]
    readonly_fields = ["avg_rating", "review_count", "created_at", "updated_at"]
    inlines = [StockMovementInline]
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        """The catalog's own search (FULLTEXT on MariaDB, exact ISBN), not a LIKE scan per field."""
        if not search_term.strip():
            return queryset, False
        return selectors.book_search(queryset, search_term), False

    def save_model(self, request, obj, form, change):
        """Stock changes made here go through the ledger like any other, and never overwrite a
        concurrent checkout's decrement: the stock column is only written, by the service, when the
        operator changed the field (a stock-take), and the other counters are not written at all."""
        new_stock = form.cleaned_data.get("stock", 0)
        new_cover = form.new_cover
        if new_cover:
            obj.cover = Book.objects.get(pk=obj.pk).cover if change else ""
        if change:
            obj.save(update_fields=[*(name for name in form.Meta.fields if name != "stock"), "updated_at"])
        else:
            obj.stock = 0
            obj.save()
        if new_cover:
            services.book_set_cover(book=obj, upload=new_cover)
        if not change or "stock" in form.changed_data:
            reason = StockMovement.Reason.ADJUSTMENT if change else StockMovement.Reason.INITIAL
            services.book_set_stock(
                book_id=obj.pk, stock=new_stock, actor=request.user, reason=reason, note="admin"
            )
        obj.refresh_from_db()


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

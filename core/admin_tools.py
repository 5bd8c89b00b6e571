"""Admin building blocks the apps share: read-only lists of rows only services write, and an "Export
CSV" button for admin lists (the rows the list shows, with its filters, search and order, as a file)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import path, reverse

from .csv_export import csv_response


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows only the services write (a ledger, payments): staff may look, filter and export, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page that only the services write: no adding, editing or deleting."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CSVExportAdminMixin:
    """For a ModelAdmin: adds `<list>/export/` and the button (template `admin/csv_export_change_list.html`).

    The admin says what a row is with `csv_header` and `csv_rows(queryset)` (an iterator of tuples).
    """

    change_list_template = "admin/csv_export_change_list.html"
    csv_header: tuple[str, ...] = ()

    def csv_rows(self, queryset: QuerySet):
        raise NotImplementedError

    def get_urls(self):
        opts = self.model._meta
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_csv_view),
            name=f"{opts.app_label}_{opts.model_name}_export",
        )
        return [export, *super().get_urls()]

    def export_csv_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:  # as the list itself does with filters it cannot apply
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?e=1")
        return csv_response(
            filename=f"{opts.verbose_name_plural.replace(' ', '-')}.csv",
            header=self.csv_header,
            rows=self.csv_rows(changelist.queryset),
        )

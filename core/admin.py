"""Admin building blocks the apps share (core registers no model of its own)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records staff may read but not add, change or delete: they are written by services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

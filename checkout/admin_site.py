"""The back office: Django's admin with the dashboard on its index and the report pages under
/admin/reports/ (orders.admin_reports). Installed as the default admin site by
`checkout.apps.BookstoreAdminConfig`, so every app's `@admin.register` lands here."""

from django.contrib import admin
from django.urls import path

from orders.admin_reports import REPORTS

from .dashboard import dashboard_for


class BookstoreAdminSite(admin.AdminSite):
    site_header = "Bookstore back office"
    site_title = "Bookstore back office"
    index_title = "Dashboard"
    index_template = "admin/bookstore_index.html"

    def get_urls(self):
        reports = [
            path(f"reports/{report.slug}/", self.admin_view(report.view), name=f"report_{report.slug}")
            for report in REPORTS
        ]
        return [*reports, *super().get_urls()]

    def index(self, request, extra_context=None):
        context = {
            "dashboard": dashboard_for(request.user),
            "reports": [report for report in REPORTS if report.allowed(request.user)],
            **(extra_context or {}),
        }
        return super().index(request, context)

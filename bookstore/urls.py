from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(("bookstore.api_urls", "api"))),
    path("accounts/", include("accounts.urls")),
    # Sign in with Google / GitHub (allauth's provider pages only; accounts/social_urls.py).
    path("accounts/", include("accounts.social_urls")),
    path("cart/", include("cart.urls")),
    # The footer's pages (/pages/contact/, ...) and any other flat page staff write in the admin.
    path("pages/", include("django.contrib.flatpages.urls")),
    path("", include("reviews.urls")),
    # /checkout/ and /orders/…
    path("", include("checkout.urls")),
    # The shopper pages; the catalog owns the site root.
    path("", include("catalog.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.error_views.bad_request"
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.book_list, name="home"),
    path("books/<int:book_id>/", views.book_detail, name="book_detail"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("wishlist/", views.wishlist, name="wishlist"),
    path("notify-me/", views.notify_me, name="notify_me"),
    path("books/<int:book_id>/wishlist/", views.wishlist_add, name="wishlist_add"),
    path("books/<int:book_id>/wishlist/remove/", views.wishlist_remove, name="wishlist_remove"),
    path("books/<int:book_id>/notify-me/", views.prebooking_create, name="prebooking_create"),
    path("pre-bookings/<int:prebooking_id>/cancel/", views.prebooking_cancel, name="prebooking_cancel"),
    # The account's pages are accounts'; this one needs genres, so it lives here.
    path("accounts/preferences/", views.preferences, name="preferences"),
]

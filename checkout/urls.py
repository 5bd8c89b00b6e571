from django.urls import path

from . import views

app_name = "checkout"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_list, name="list"),
    path("orders/<int:order_id>/", views.order_detail, name="detail"),
    path("orders/<int:order_id>/cancel/", views.order_cancel, name="cancel"),
    path("orders/<int:order_id>/returns/", views.order_return, name="return"),
    path("orders/<int:order_id>/status.json", views.order_status, name="status"),
    path("accounts/close/", views.account_close, name="account_close"),
]

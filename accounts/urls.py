from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("password-reset/", views.password_reset_view, name="password_reset"),
    path("password-reset/done/", views.password_reset_done_view, name="password_reset_done"),
    path(
        "password-reset/confirm/<str:uidb64>/<str:token>/",
        views.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path("password/", views.password_change_view, name="password_change"),
    path("profile/", views.profile_view, name="profile"),
    path("verify-email/<str:uidb64>/<str:token>/", views.verify_email_view, name="verify_email"),
    path("sessions/", views.sessions_view, name="sessions"),
    path("sessions/<int:session_id>/logout/", views.session_revoke_view, name="session_revoke"),
    path("sessions/logout-others/", views.sessions_revoke_others_view, name="sessions_revoke_others"),
    path("connected-accounts/", views.social_accounts_view, name="social_accounts"),
    path(
        "connected-accounts/<int:account_id>/disconnect/",
        views.social_account_unlink_view,
        name="social_account_unlink",
    ),
    path("addresses/", views.address_list_view, name="addresses"),
    path("addresses/add/", views.address_create_view, name="address_add"),
    path("addresses/<int:address_id>/edit/", views.address_update_view, name="address_edit"),
    path("addresses/<int:address_id>/delete/", views.address_delete_view, name="address_delete"),
    path("addresses/<int:address_id>/default/", views.address_default_view, name="address_default"),
]

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core.admin_tools import ReadOnlyAdmin
from core.errors import BusinessError

from . import services
from .models import Address

User = get_user_model()

# allauth's admin pages would write around the shop's services (accounts.social): its email table is
# unused (the email is the user's own field), credentials come from the environment, provider tokens
# are not kept, and connections are the user's to make and end.
for _model in (EmailAddress, SocialApp, SocialToken, SocialAccount):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "username", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "is_superuser"]
    search_fields = ["email", "username", "first_name", "last_name"]
    ordering = ["-date_joined"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "username", "password1", "password2")}),
    )
    actions = ["deactivate_users", "reactivate_users"]
    # (De)activation goes through the actions, i.e. the service that also revokes the user's tokens;
    # a ticked box on the change form would skip it and let the tokens revive on reactivation.
    readonly_fields = ["is_active"]

    @admin.action(description="Deactivate selected users (their tokens stop working)")
    def deactivate_users(self, request, queryset):
        for user in queryset:
            try:
                services.user_deactivate(user=user, actor=request.user)
            except BusinessError as exc:
                self.message_user(request, f"{user}: {exc.detail}", messages.ERROR)

    @admin.action(description="Reactivate selected users")
    def reactivate_users(self, request, queryset):
        for user in queryset:
            services.user_reactivate(user=user, actor=request.user)


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    """Customers' address books, read-only: customers keep them (orders hold their own copy)."""

    list_display = ["full_name", "user", "city", "postal_code", "country", "is_default"]
    list_filter = ["country", "is_default"]
    list_select_related = ["user"]
    search_fields = ["full_name", "user__email", "postal_code", "city"]

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

User = get_user_model()


def user_list(*, search: str = "", is_active: bool | None = None) -> QuerySet:
    users = User.objects.order_by("id")
    if search:
        users = users.filter(Q(email__icontains=search) | Q(username__icontains=search))
    if is_active is not None:
        users = users.filter(is_active=is_active)
    return users


def social_account_list(*, user) -> QuerySet:
    """The Google and GitHub accounts that sign this user in (accounts.social)."""
    return SocialAccount.objects.filter(user=user).order_by("provider", "id")

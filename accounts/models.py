"""The shop's user (logs in with a unique email, keeps a unique username for display) and their logins."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username, self.normalize_email(email), password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        return super().create_superuser(username, self.normalize_email(email), password, **extra_fields)


class User(AbstractUser):
    email = models.EmailField("email address", unique=True)
    email_verified = models.BooleanField(default=False)
    # When the account itself last changed (profile, email, password, verification, closing); logins
    # do not count. Services that save with update_fields name it too.
    updated_at = models.DateTimeField(auto_now=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = UserManager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.email


class LoginSession(models.Model):
    """One login the user can see and end: a family of rotating JWTs (API) or a browser session (pages).

    Every token carries its session's id (`sid`); a revoked session's access and refresh tokens are all
    refused, since the check that loads the token's user reads this row too. `refresh_jti` is the one
    refresh token of the family that may still be used, and `rotations` counts the family's refresh
    tokens so far (each carries its number): presenting one numbered lower, already rotated, means it was
    copied, and revokes the whole family.
    """

    class Kind(models.TextChoices):
        API = "api", "API tokens"
        WEB = "web", "Browser"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    kind = models.CharField(max_length=3, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    user_agent = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    refresh_jti = models.CharField(max_length=64, blank=True)
    rotations = models.PositiveIntegerField(default=0)
    # A browser login's Django session, deleted when the login is revoked.
    session_key = models.CharField(max_length=40, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_used_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="loginsession_user_active")]

    def __str__(self):
        return f"{self.get_kind_display()} login {self.pk} of user {self.user_id}"


class Address(models.Model):
    """An entry of a user's address book. What a valid address is belongs to `accounts.addresses`
    (`address_normalize`); orders keep their own snapshot, so editing or deleting an entry never
    changes an order that used it."""

    user = models.ForeignKey(User, related_name="addresses", on_delete=models.CASCADE)
    full_name = models.CharField(max_length=200)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()
    phone = models.CharField(max_length=40, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "id"]

    def __str__(self):
        return f"{self.full_name}, {self.line1}, {self.city} ({self.country.code})"

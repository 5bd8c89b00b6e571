"""The shop's user: logs in with a unique email, keeps a unique username for display."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
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
    # Every token carries the generation it was issued in; revoking bumps it, so reactivating an
    # account never brings its old tokens back to life.
    token_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = UserManager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.email


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

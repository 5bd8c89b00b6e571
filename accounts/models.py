"""The shop's user: logs in with a unique email, keeps a unique username for display."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models


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

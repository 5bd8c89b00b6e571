"""Helpers for the catalog page tests (Django's test client): messages shown, CSRF-enforcing clients."""

from urllib.parse import quote

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def csrf_client(*, user=None, book=None) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser, and the token the book page gave it."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(reverse("catalog:book_detail", args=[book.pk]))
    return client, client.cookies["csrftoken"].value


def book_url(book) -> str:
    return reverse("catalog:book_detail", args=[book.pk])


def login_url(next_path: str) -> str:
    """Where an anonymous shopper is sent to log in before coming back to `next_path`."""
    return f"{reverse('accounts:login')}?next={quote(next_path)}"

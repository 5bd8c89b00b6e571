from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max, Sum

from catalog.demo_catalog import GENRES, demo_books
from catalog.isbn import isbn_normalize
from catalog.models import Book, Genre, StockMovement
from checkout.management.commands.seed_demo import DEFAULT_BOOK_COUNT, DEMO_ACCOUNTS
from orders.models import ShippingMethod, TaxRate

User = get_user_model()


def _seed(books: int = DEFAULT_BOOK_COUNT) -> str:
    out = StringIO()
    call_command("seed_demo", books=books, stdout=out, stderr=StringIO())
    return out.getvalue()


def _snapshot() -> dict:
    return {
        "genres": Genre.objects.count(),
        "shipping_methods": list(ShippingMethod.objects.order_by("code").values_list("code", "base_price")),
        "tax_rates": TaxRate.objects.count(),
        "books": Book.objects.count(),
        "movements": StockMovement.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("email", "password", "is_staff")),
        "books_updated": Book.objects.aggregate(latest=Max("updated_at"))["latest"],
        "stock": Book.objects.aggregate(total=Sum("stock"))["total"],
    }


@pytest.mark.django_db
def test_seed_demo_builds_the_catalog_once():
    first_output = _seed()
    after_first = _snapshot()
    second_output = _seed()

    assert _snapshot() == after_first
    assert after_first["books"] == DEFAULT_BOOK_COUNT
    assert after_first["genres"] == len(GENRES)
    assert "300 books added" in first_output
    assert "0 books added" in second_output
    for account in DEMO_ACCOUNTS:
        assert account.email in second_output and account.password in second_output

    books = list(Book.objects.annotate(ledger=Sum("stock_movements__delta")))
    assert all(isbn_normalize(book.isbn) == book.isbn for book in books)
    assert all(Decimal("7.99") <= book.price <= Decimal("59.00") for book in books)
    assert all(book.genre_id is not None for book in books)
    in_stock = [book for book in books if book.stock > 0]
    assert 0 < len(in_stock) < len(books)  # some titles are sold out
    assert all(book.ledger == book.stock for book in in_stock)
    assert all(book.ledger is None for book in books if book.stock == 0)
    assert StockMovement.objects.exclude(reason=StockMovement.Reason.INITIAL).count() == 0
    assert Genre.objects.filter(parent__parent__isnull=False).exists()  # e.g. Fiction > Mystery > Cozy


@pytest.mark.django_db
def test_seed_demo_accounts_log_in(api_client):
    _seed(books=5)

    for account in DEMO_ACCOUNTS:
        response = api_client.post(
            "/api/auth/login/", {"email": account.email, "password": account.password}, format="json"
        )
        assert response.status_code == 200, response.content
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
        me = api_client.get("/api/users/me/").json()
        api_client.credentials()
        assert me["email"] == account.email
        assert me["is_staff"] is account.is_staff


@pytest.mark.django_db
def test_seed_demo_keeps_a_changed_password():
    _seed(books=5)
    customer = User.objects.get(email=DEMO_ACCOUNTS[1].email)
    customer.set_password("a-new-secret-77")
    customer.save()

    output = _seed(books=5)

    assert "already there" in output
    customer.refresh_from_db()
    assert customer.check_password("a-new-secret-77")
    assert not customer.check_password(DEMO_ACCOUNTS[1].password)


def test_demo_books_are_deterministic_and_distinct():
    books = demo_books(count=DEFAULT_BOOK_COUNT)

    assert books == demo_books(count=DEFAULT_BOOK_COUNT)
    assert len({book.isbn for book in books}) == len(books)
    assert len({book.title for book in books}) == len(books)
    assert {book.genre_slug for book in books} <= {genre.slug for genre in GENRES}
    assert books != demo_books(count=DEFAULT_BOOK_COUNT, seed=1)

"""`refresh_bestsellers` and `refresh_related_books`: what paid orders say about books, stored in the
catalog for the "Bestsellers" order and "customers also bought"."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from catalog.factories import BookFactory
from catalog.models import Book, BookRelation
from orders.factories import OrderFactory, OrderItemFactory
from orders.models import OrderStatus

pytestmark = pytest.mark.django_db


def _order(books_and_quantities, *, status=OrderStatus.PAID, paid_days_ago=1):
    paid_at = timezone.now() - timedelta(days=paid_days_ago) if status != OrderStatus.PENDING else None
    order = OrderFactory(status=status, paid_at=paid_at)
    for book, quantity in books_and_quantities:
        OrderItemFactory(order=order, book=book, quantity=quantity)
    return order


def _run(command, *args) -> str:
    out = StringIO()
    call_command(command, "--no-progress", *args, stdout=out)
    return out.getvalue()


def _units() -> dict[str, int]:
    return dict(Book.objects.filter(units_sold_30d__gt=0).values_list("title", "units_sold_30d"))


def test_bestsellers_count_paid_or_later_copies_of_the_last_30_days():
    dune, emma, old, lost = (BookFactory(title=t) for t in ("Dune", "Emma", "Old", "Lost"))
    _order([(dune, 2), (emma, 1)])
    _order([(dune, 1)], status=OrderStatus.SHIPPED, paid_days_ago=10)
    _order([(emma, 4)], status=OrderStatus.DELIVERED, paid_days_ago=29)
    _order([(old, 5)], paid_days_ago=31)
    _order([(lost, 7)], status=OrderStatus.PENDING)
    _order([(lost, 7)], status=OrderStatus.CANCELLED)

    out = _run("refresh_bestsellers")

    assert _units() == {"Dune": 3, "Emma": 5}
    assert "2 book(s) sold in the last 30 days; 2 figure(s) changed." in out


def test_bestsellers_refresh_again_changes_nothing_and_a_sale_leaving_the_window_counts_down():
    dune = BookFactory(title="Dune")
    order = _order([(dune, 2)])
    _run("refresh_bestsellers")

    assert "0 figure(s) changed" in _run("refresh_bestsellers")
    order.paid_at = timezone.now() - timedelta(days=40)
    order.save()
    assert "1 figure(s) changed" in _run("refresh_bestsellers")
    assert _units() == {}


def test_an_order_without_a_payment_time_counts_from_when_it_was_placed():
    dune = BookFactory(title="Dune")
    order = _order([(dune, 2)])
    order.paid_at = None
    order.save()

    _run("refresh_bestsellers")

    assert _units() == {"Dune": 2}


def test_related_books_are_the_most_frequent_co_purchases_of_paid_orders():
    dune, emma, tea, cat, pending = (BookFactory(title=t) for t in ("Dune", "Emma", "Tea", "Cat", "Pending"))
    _order([(dune, 1), (emma, 1), (tea, 1)])
    _order([(dune, 1), (emma, 2)], status=OrderStatus.DELIVERED)
    _order([(dune, 1), (cat, 1)], paid_days_ago=400)  # outside the default year
    _order([(dune, 1), (pending, 1)], status=OrderStatus.PENDING)

    out = _run("refresh_related_books")

    pairs = {
        (relation.book.title, relation.related.title): relation.score
        for relation in BookRelation.objects.select_related("book", "related")
    }
    assert pairs == {
        ("Dune", "Emma"): 2,
        ("Dune", "Tea"): 1,
        ("Emma", "Dune"): 2,
        ("Emma", "Tea"): 1,
        ("Tea", "Dune"): 1,
        ("Tea", "Emma"): 1,
    }
    assert "6 related pair(s) stored for 3 book(s)." in out
    _run("refresh_related_books", "--days", "500")
    assert BookRelation.objects.filter(book=dune, related=cat).exists()


def test_related_books_keep_the_top_few_per_book_and_running_again_gives_the_same():
    dune = BookFactory(title="Dune")
    others = [BookFactory(title=f"Other {n}") for n in range(4)]
    for n, other in enumerate(others):
        for _ in range(n + 1):
            _order([(dune, 1), (other, 1)])

    _run("refresh_related_books", "--per-book", "2")
    first = sorted(BookRelation.objects.values_list("book_id", "related_id", "score"))
    _run("refresh_related_books", "--per-book", "2")

    assert list(BookRelation.objects.filter(book=dune).values_list("related__title", "score")) == [
        ("Other 3", 4),
        ("Other 2", 3),
    ]
    assert sorted(BookRelation.objects.values_list("book_id", "related_id", "score")) == first


@pytest.mark.parametrize("args", [["--days", "0"], ["--per-book", "-1"], ["--days", "x"]])
def test_related_books_refuse_bad_arguments(args):
    with pytest.raises(CommandError):
        call_command("refresh_related_books", *args, stdout=StringIO(), stderr=StringIO())

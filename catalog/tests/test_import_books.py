"""`manage.py import_books`: create/update by ISBN, line-numbered errors that skip only the bad rows,
batches, and an exact stock ledger."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.factories import BookFactory, GenreFactory
from catalog.isbn import isbn13_from_prefix
from catalog.models import Book, StockMovement

pytestmark = pytest.mark.django_db

HEADER = "isbn,title,author,description,price,stock,genre\n"


def _isbn(n: int) -> str:
    return isbn13_from_prefix(f"978{n:09d}")


def _run(tmp_path, text: str | bytes, *extra):
    path = tmp_path / "books.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_books", str(path), "--no-progress", *extra, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_creates_books_with_their_opening_stock_in_the_ledger(tmp_path):
    genre = GenreFactory(slug="sf")
    out, err, failure = _run(
        tmp_path,
        HEADER
        + f'{_isbn(1)},Dune,Frank Herbert,"Spice, sand",12.50,4,sf\n'
        + "0-306-40615-2,Zero,Nobody,,3,,\n",
    )

    assert failure is None, err
    assert "2 created, 0 updated, 0 unchanged, 0 stock changes, 0 rejected." in out
    dune = Book.objects.get(isbn=_isbn(1))
    assert (dune.title, dune.description, dune.price, dune.stock, dune.genre) == (
        "Dune",
        "Spice, sand",
        Decimal("12.50"),
        4,
        genre,
    )
    zero = Book.objects.get(isbn="9780306406157")
    assert zero.stock == 0 and zero.genre is None
    movement = StockMovement.objects.get()
    assert (movement.book, movement.delta, movement.stock_after, movement.reason) == (dune, 4, 4, "import")


def test_updates_by_isbn_and_records_stock_differences(tmp_path):
    genre = GenreFactory(slug="sf")
    changed = BookFactory(isbn=_isbn(1), title="Old title", stock=5, price="9.00")
    same = BookFactory(
        isbn=_isbn(2), title="Same", author="A", description="", price="5.00", stock=3, genre=genre
    )
    stock_kept = BookFactory(isbn=_isbn(3), title="Kept", author="A", description="", price="5.00", stock=8)

    out, err, failure = _run(
        tmp_path,
        HEADER
        + f"{_isbn(1)},New title,Jane Author,A book.,9.00,2,\n"
        + f"{_isbn(2)},Same,A,,5.00,3,sf\n"
        + f"{_isbn(3)},Kept,A,,6.00,,\n",
    )

    assert failure is None, err
    assert "0 created, 2 updated, 1 unchanged, 1 stock changes, 0 rejected." in out
    changed.refresh_from_db()
    assert (changed.title, changed.stock, changed.genre) == ("New title", 2, None)
    movement = StockMovement.objects.get()
    assert (movement.book, movement.delta, movement.stock_after, movement.reason) == (
        changed,
        -3,
        2,
        "import",
    )
    same.refresh_from_db()
    assert same.stock == 3 and same.genre == genre
    stock_kept.refresh_from_db()
    assert stock_kept.stock == 8 and stock_kept.price == Decimal("6.00")


def test_bad_rows_are_reported_by_line_and_skipped_while_the_rest_is_imported(tmp_path):
    GenreFactory(slug="sf")
    rows = [
        f"{_isbn(1)},Good one,A,,10.00,1,sf",  # line 2
        "9780306406158,Bad checksum,A,,10.00,1,",  # line 3
        f"{_isbn(2)},,A,,10.00,1,",  # line 4: no title
        f"{_isbn(3)},Free,A,,0,1,",  # line 5
        f"{_isbn(4)},Cheap,A,,1.999,1,",  # line 6
        f"{_isbn(5)},Minus,A,,5.00,-1,",  # line 7
        f"{_isbn(6)},Lost,A,,5.00,1,nowhere",  # line 8
        f"{_isbn(7)},Short row,A",  # line 9
        f'{_isbn(8)},Multi,A,"first line',  # line 10, a quoted description over two lines
        'second line",5.00,2,',  # line 11
        f"{_isbn(1)},Good one again,A,,10.00,1,",  # line 12: ISBN already on line 2
        f"{_isbn(9)},Priceless,A,,abc,1,",  # line 13
        f"{_isbn(10)},Good two,A,,10.00,,",  # line 14
        "",  # line 15: blank, ignored
        f"{_isbn(11)},{'x' * 256},A,,10.00,1,",  # line 16
    ]
    out, err, failure = _run(tmp_path, HEADER + "\n".join(rows) + "\n", "--batch-size", "2")

    assert failure is not None and "10 row(s) rejected" in str(failure)
    reported = [line.split(":")[0] for line in err.strip().splitlines()]
    assert reported == [f"line {n}" for n in (3, 4, 5, 6, 7, 8, 9, 12, 13, 16)]
    assert "line 3: isbn:" in err
    assert "line 4: title: Enter a title." in err
    assert "line 5: price:" in err and "line 6: price: A price has at most two decimal places." in err
    assert "line 7: stock:" in err and "line 8: genre: no genre with the slug 'nowhere'." in err
    assert "line 9: expected 7 columns, got 3." in err
    assert "line 12: isbn: " in err and "earlier line" in err
    assert "line 13: price:" in err
    assert "line 16: title: At most 255 characters." in err
    assert sorted(Book.objects.values_list("title", flat=True)) == ["Good one", "Good two", "Multi"]
    assert Book.objects.get(title="Multi").description == "first line\nsecond line"
    assert "3 created" in out
    assert StockMovement.objects.count() == 2


def test_bytes_that_are_not_utf8_reject_only_their_line(tmp_path):
    text = (HEADER + f"{_isbn(1)},Caf\xe9,A,,10.00,1,\n").encode("latin-1")
    text += f"{_isbn(2)},Fine,A,,10.00,1,\n".encode()

    _out, err, _failure = _run(tmp_path, text)

    assert "line 2: the line is not valid UTF-8." in err
    assert list(Book.objects.values_list("title", flat=True)) == ["Fine"]


@pytest.mark.parametrize(
    "content",
    ["", "isbn,title\n", "isbn,title,author,description,price,stock,genre,extra\n", "a,b,c,d,e,f,g\n"],
)
def test_wrong_header_stops_before_anything_is_written(tmp_path, content):
    _out, _err, failure = _run(tmp_path, content + f"{_isbn(1)},T,A,,1.00,1,\n")

    assert failure is not None and "isbn,title,author,description,price,stock,genre" in str(failure)
    assert not Book.objects.exists()


def test_header_columns_may_come_in_any_order(tmp_path):
    _out, err, failure = _run(
        tmp_path, "title,isbn,price,author,stock,genre,description\n" + f"T,{_isbn(1)},2.00,A,3,,D\n"
    )

    assert failure is None, err
    assert Book.objects.get().stock == 3


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_books", str(tmp_path / "nope.csv"), "--no-progress")


def test_a_removed_book_is_updated_but_stays_removed(tmp_path):
    book = BookFactory(isbn=_isbn(1), title="Old", is_active=False, stock=0)

    _run(tmp_path, HEADER + f"{_isbn(1)},New,A,,4.00,2,\n")

    book.refresh_from_db()
    assert (book.title, book.stock, book.is_active) == ("New", 2, False)


def test_every_batch_is_written_and_the_ledger_sums_to_the_stock(tmp_path):
    rows = [f"{_isbn(n)},Book {n},A,,1.00,{n % 3},\n" for n in range(1, 12)]

    _out, err, failure = _run(tmp_path, HEADER + "".join(rows), "--batch-size", "4")

    assert failure is None, err
    assert Book.objects.count() == 11
    for book in Book.objects.all():
        assert sum(book.stock_movements.values_list("delta", flat=True)) == book.stock


def test_batch_size_must_be_positive(tmp_path):
    _out, _err, failure = _run(tmp_path, HEADER, "--batch-size", "0")

    assert failure is not None and "--batch-size" in str(failure)

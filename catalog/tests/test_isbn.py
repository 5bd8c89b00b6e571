"""ISBN-10/13 checksum validation and normalisation to the stored ISBN-13."""

import pytest
from django.core.exceptions import ValidationError

from catalog.isbn import isbn13_from_prefix, isbn_normalize, isbn_validate


@pytest.mark.parametrize(
    ("value", "isbn13"),
    [
        ("0306406152", "9780306406157"),
        ("0-306-40615-2", "9780306406157"),
        ("0 306 40615 2", "9780306406157"),
        ("3-598-21508-8", "9783598215087"),
        # A check digit of 10 is written X, in either case.
        ("0-8044-2957-X", "9780804429573"),
        ("080442957x", "9780804429573"),
        ("0-9752298-0-X", "9780975229804"),
        ("9780306406157", "9780306406157"),
        ("978-0-306-40615-7", "9780306406157"),
        ("979-10-90636-07-1", "9791090636071"),
        (" 978 0 306 40615 7 ", "9780306406157"),
    ],
)
def test_valid_isbn_normalises_to_isbn13(value, isbn13):
    assert isbn_normalize(value) == isbn13
    assert isbn_validate(value) == isbn13


@pytest.mark.parametrize(
    "value",
    [
        "0-306-40615-3",  # ISBN-10 with a wrong check digit
        "0-8044-2957-0",  # should be X
        "X-8044-2957-0",  # X only allowed as the check digit
        "080442X573",
        "978-0-306-40615-8",  # ISBN-13 with a wrong check digit
        "977-0-306-40615-0",  # 13 digits, but not a 978/979 (Bookland) prefix
        "978030640615X",  # X is never part of an ISBN-13
        "030640615",  # 9 digits
        "03064061522",  # 11 digits
        "97803064061577",  # 14 digits
        "ISBN 0306406152",  # prefix text is not stripped
        "0306406152.",
        "",
        None,
    ],
)
def test_invalid_isbn_is_refused(value):
    assert isbn_normalize(value) is None
    with pytest.raises(ValidationError) as excinfo:
        isbn_validate(value)
    assert excinfo.value.code == "invalid_isbn"


def test_isbn10_and_isbn13_of_the_same_book_normalise_alike():
    assert isbn_normalize("0-306-40615-2") == isbn_normalize("978-0-306-40615-7")


def test_isbn13_from_prefix_completes_a_valid_isbn():
    isbn = isbn13_from_prefix("978030640615")
    assert isbn == "9780306406157"
    assert isbn_normalize(isbn) == isbn

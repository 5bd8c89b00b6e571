"""What makes a genre or a book valid: one set of rules and messages for every door.

The API's serializers, the admin's forms, the CSV import and the services all call these functions, so
a bad ISBN, a price of 0 or a genre nested in itself is refused with the same sentence wherever it comes
from. Each raises `ValidationError({field: [message, ...]})` naming every problem at once, and returns
the values as they are stored (ISBN-13, trimmed text). The limits are defined here once.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from core.limits import MONEY_MAX

from .isbn import isbn_normalize
from .models import Book, Genre, TaxClass

BOOK_TEXT_MAX_LENGTH = 255
BOOK_MAX_PRICE = MONEY_MAX
BOOK_MAX_STOCK = 2_000_000_000
BOOK_MAX_LOW_STOCK_THRESHOLD = 1_000_000
GENRE_NAME_MAX_LENGTH = 100
GENRE_SLUG_MAX_LENGTH = 120

MESSAGES = {
    "title": "Enter a title.",
    "author": "Enter an author.",
    "text_too_long": f"At most {BOOK_TEXT_MAX_LENGTH} characters.",
    "isbn": "Enter a valid ISBN-10 or ISBN-13 (the check digit does not match).",
    "isbn_taken": "A book with this ISBN already exists.",
    "price": f"Enter a price above 0 and at most {BOOK_MAX_PRICE}, such as 12.50.",
    "price_places": "A price has at most two decimal places.",
    "stock": f"Enter a whole number of copies from 0 to {BOOK_MAX_STOCK}.",
    "low_stock_threshold": f"Enter a whole number of copies from 0 to {BOOK_MAX_LOW_STOCK_THRESHOLD}.",
    "tax_class": "Choose a tax class: " + ", ".join(TaxClass.values) + ".",
    "genre_name": f"Enter a name of at most {GENRE_NAME_MAX_LENGTH} characters.",
    "genre_slug": (
        f"Enter a slug of at most {GENRE_SLUG_MAX_LENGTH} lower-case letters, digits and hyphens, "
        "such as science-fiction."
    ),
    "genre_slug_taken": "A genre with this slug already exists.",
    "genre_parent": "A genre cannot be nested inside itself.",
}

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _text(value) -> str:
    return str(value or "").strip()


def price_clean(value) -> Decimal:
    """A price: a number above 0, at most BOOK_MAX_PRICE, with at most two decimal places."""
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(MESSAGES["price"]) from None
    if not price.is_finite() or price <= 0 or price > BOOK_MAX_PRICE:
        raise ValidationError(MESSAGES["price"])
    if price.as_tuple().exponent < -2 and price != price.quantize(Decimal("0.01")):
        raise ValidationError(MESSAGES["price_places"])
    return price.quantize(Decimal("0.01"))


def stock_clean(value) -> int:
    """A stock count: a whole number from 0 to BOOK_MAX_STOCK."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(MESSAGES["stock"])
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > BOOK_MAX_STOCK:
        raise ValidationError(MESSAGES["stock"])
    return int(text)


def low_stock_threshold_clean(value) -> int:
    """The count at or under which a book is low on stock: a whole number from 0 to a million."""
    try:
        threshold = stock_clean(value)
    except ValidationError:
        threshold = None
    if threshold is None or threshold > BOOK_MAX_LOW_STOCK_THRESHOLD:
        raise ValidationError(MESSAGES["low_stock_threshold"])
    return threshold


def tax_class_clean(value) -> str:
    """A book's tax class: one of TaxClass's values."""
    if value not in TaxClass.values:
        raise ValidationError(MESSAGES["tax_class"])
    return value


def book_clean(values: dict, *, book: Book | None = None, isbn_unique: bool = True) -> dict:
    """The given book fields (title, author, isbn, description, price, stock, tax_class,
    low_stock_threshold, genre), checked and in their stored form. Fields not given are not checked (a
    partial update); with `isbn_unique`, the ISBN must not belong to another book than `book`."""
    cleaned, errors = {}, {}

    def check(name, clean):
        if name in values:
            try:
                cleaned[name] = clean(values[name])
            except ValidationError as exc:
                errors[name] = exc.messages

    def required_text(message):
        def clean(value):
            text = _text(value)
            if not text:
                raise ValidationError(MESSAGES[message])
            if len(text) > BOOK_TEXT_MAX_LENGTH:
                raise ValidationError(MESSAGES["text_too_long"])
            return text

        return clean

    def isbn_clean(value):
        isbn = isbn_normalize(value)
        if isbn is None:
            raise ValidationError(MESSAGES["isbn"])
        if isbn_unique and Book.objects.exclude(pk=getattr(book, "pk", None)).filter(isbn=isbn).exists():
            raise ValidationError(MESSAGES["isbn_taken"])
        return isbn

    check("title", required_text("title"))
    check("author", required_text("author"))
    check("isbn", isbn_clean)
    check("description", lambda value: str(value or "").strip())
    check("price", price_clean)
    check("stock", stock_clean)
    check("low_stock_threshold", low_stock_threshold_clean)
    check("tax_class", tax_class_clean)
    if "genre" in values:
        cleaned["genre"] = values["genre"]
    if errors:
        raise ValidationError(errors)
    return cleaned


def genre_clean(*, name, slug, parent: Genre | None, genre: Genre | None = None) -> dict:
    """A genre's name, slug (unique) and parent (never itself or one of its own sub-genres)."""
    errors = {}
    name, slug = _text(name), _text(slug)
    if not name or len(name) > GENRE_NAME_MAX_LENGTH:
        errors["name"] = [MESSAGES["genre_name"]]
    if not _SLUG.fullmatch(slug) or len(slug) > GENRE_SLUG_MAX_LENGTH:
        errors["slug"] = [MESSAGES["genre_slug"]]
    elif Genre.objects.exclude(pk=getattr(genre, "pk", None)).filter(slug=slug).exists():
        errors["slug"] = [MESSAGES["genre_slug_taken"]]
    ancestor, seen = parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if genre is not None and genre.pk and ancestor.pk == genre.pk:
            errors["parent"] = [MESSAGES["genre_parent"]]
            break
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    if errors:
        raise ValidationError(errors)
    return {"name": name, "slug": slug, "parent": parent}

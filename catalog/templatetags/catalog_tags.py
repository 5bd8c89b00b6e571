"""How a book's stock and ratings read on the shop pages (list, book page, reviews, wishlist)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

from catalog import selectors

register = template.Library()

# At or under this many copies the page says "Only N left" to nudge hesitant buyers.
LOW_STOCK_THRESHOLD = 5


def stock_label(stock: int) -> tuple[str, str]:
    """(css modifier, text) for a stock count."""
    if stock <= 0:
        return "out", "Out of stock"
    if stock <= LOW_STOCK_THRESHOLD:
        return "low", f"Only {stock} left"
    return "in", "In stock"


@register.simple_tag
def stock_state(book) -> str:
    modifier, text = stock_label(book.stock)
    return format_html('<span class="stock stock--{}">{}</span>', modifier, text)


@register.filter
def cover_tone(book) -> int:
    """Which of the placeholder cover colours a book without a cover gets (stable per book)."""
    return (book.pk or 0) % 4


def _stars(filled: int) -> str:
    return "★" * filled + "☆" * (5 - filled)


@register.simple_tag
def rating(book) -> str:
    """Stars for sighted readers, a sentence for screen readers; 'No reviews yet' without reviews."""
    if not book.review_count or book.avg_rating is None:
        return format_html('<span class="rating rating--none">{}</span>', "No reviews yet")
    filled = int(Decimal(book.avg_rating).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    reviews = "review" if book.review_count == 1 else "reviews"
    return format_html(
        '<span class="rating"><span class="rating__stars" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">Rated</span> {} <span class="visually-hidden">out of 5</span>'
        '<span class="rating__count">({} {})</span></span>',
        _stars(filled),
        f"{book.avg_rating:.1f}",
        book.review_count,
        reviews,
    )


@register.simple_tag
def review_stars(rating: int) -> str:
    """One review's rating: stars for sighted readers, "Rated N out of 5" for screen readers."""
    return format_html(
        '<span class="rating rating--review"><span class="rating__stars" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">Rated {} out of 5</span></span>',
        _stars(rating),
        rating,
    )


@register.filter
def stars(rating: int) -> str:
    """`★★★☆☆` for 3: decoration only, so hide it from screen readers (`aria-hidden`)."""
    return _stars(int(rating))


@register.simple_tag(takes_context=True)
def book_shopper_state(context, book) -> selectors.ShopperBookState:
    """`{% book_shopper_state book as state %}`: whether the visitor keeps the book on their wishlist and
    their waiting "Notify me", for the book page's personal part."""
    return selectors.shopper_book_state(user=context["request"].user, book_id=book.pk)

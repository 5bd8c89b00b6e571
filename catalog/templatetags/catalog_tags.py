"""How a book's stock and rating read on the shop pages (list, book page, and later the cart)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def rating(book) -> str:
    """Stars for sighted readers, a sentence for screen readers; 'No reviews yet' without reviews."""
    if not book.review_count or book.avg_rating is None:
        return format_html('<span class="rating rating--none">{}</span>', "No reviews yet")
    filled = int(Decimal(book.avg_rating).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    stars = "★" * filled + "☆" * (5 - filled)
    reviews = "review" if book.review_count == 1 else "reviews"
    return format_html(
        '<span class="rating"><span class="rating__stars" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">Rated</span> {} <span class="visually-hidden">out of 5</span>'
        '<span class="rating__count">({} {})</span></span>',
        stars,
        f"{book.avg_rating:.1f}",
        book.review_count,
        reviews,
    )

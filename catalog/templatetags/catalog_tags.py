"""How a book reads on the shop pages (list, book page, reviews, wishlist): its card, cover, stock and
ratings."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.defaultfilters import truncatewords
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from catalog import selectors
from core.templatetags.shop import link, money

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


def cover_tone(book) -> int:
    """Which of the placeholder cover colours a book without a cover gets (stable per book)."""
    return (book.pk or 0) % 4


@register.simple_tag
def cover(book, size: str) -> str:
    """`{% cover book "large" %}`: the book's cover, or a typeset placeholder (title and author on one of
    four tones) when it has none. `size` is "thumb", "small" or "large"."""
    if book.cover:
        return format_html(
            '<img class="cover cover--{}" src="{}" alt="Cover of {}" loading="lazy">',
            size,
            book.cover.url,
            book.title,
        )
    return format_html(
        '<div class="cover cover--{} cover--placeholder cover--tone{}" role="img"'
        ' aria-label="No cover image for {}"><span class="cover__title" aria-hidden="true">{}</span>'
        '<span class="cover__author" aria-hidden="true">{}</span></div>',
        size,
        cover_tone(book),
        book.title,
        truncatewords(book.title, 8),
        book.author,
    )


@register.simple_tag(takes_context=True)
def book_card(context, book, quick_add: bool = False, id_suffix: str = "") -> str:
    """`{% book_card book quick_add=cart_ready %}`: a book in a list (catalog, related books, picks).
    `quick_add` (true where the cart exists) adds a one-click "Add to cart" for a title in stock: a
    plain form (one copy, back to this page afterwards), so it works without JavaScript. `id_suffix`
    keeps ids unique when a book is listed twice on a page.

    Written out here rather than as an included template: a catalog page draws twenty cards and a book
    page up to a dozen, and the template engine took 0.1 ms for each (six related books were a quarter of
    a book page's rendering)."""
    url = link("catalog:book_detail", book.pk)
    title_id = f"book-{book.pk}-title{id_suffix}"
    add = ""
    if quick_add and book.stock > 0:
        add = format_html(
            '<form class="book-card__add" method="post" action="{}">{}'
            '<input type="hidden" name="book_id" value="{}"><input type="hidden" name="quantity" value="1">'
            '<input type="hidden" name="next" value="{}">'
            '<button type="submit" class="button button--primary button--small button--block">'
            'Add to cart<span class="visually-hidden">: {}</span></button></form>',
            link("cart:add"),
            CsrfTokenNode().render(context),  # the visitor's token, or a shell's mark (core/page_shell.py)
            book.pk,
            context["request"].get_full_path(),
            book.title,
        )
    return format_html(
        '<article class="book-card" aria-labelledby="{title_id}">'
        '<a class="book-card__cover" href="{url}" tabindex="-1" aria-hidden="true">{cover}</a>'
        '<div class="book-card__body">'
        '<h3 class="book-card__title" id="{title_id}"><a href="{url}">{title}</a></h3>'
        '<p class="book-card__author">{author}</p>'
        '<p class="book-card__rating">{rating}</p>'
        '<p class="book-card__meta"><span class="price">{price}</span> {stock}</p>'
        "{add}</div></article>",
        title_id=title_id,
        url=url,
        cover=cover(book, "small"),
        title=book.title,
        author=book.author,
        rating=rating(book),
        price=money(book.price),
        stock=stock_state(book),
        add=add,
    )


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

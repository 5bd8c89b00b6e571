"""A book's card and cover as the shop's lists draw them (catalog/templatetags/catalog_tags.py)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from catalog.factories import BookFactory

pytestmark = pytest.mark.django_db

CARD = Template("{% load catalog_tags %}{% book_card book quick_add=quick_add id_suffix=suffix %}")


def _card(book, *, quick_add=False, suffix="", path="/?page=2&ordering=title") -> str:
    request = RequestFactory().get(path)
    context = {
        "book": book,
        "quick_add": quick_add,
        "suffix": suffix,
        "request": request,
        "csrf_token": "t0k",
    }
    return CARD.render(Context(context))


def test_a_card_links_its_book_and_shows_title_author_rating_price_and_stock():
    book = BookFactory(title="Dune", author="Frank Herbert", price=Decimal("12.5"), stock=3)
    url = reverse("catalog:book_detail", args=[book.pk])

    html = _card(book, suffix="-author")

    title_id = f"book-{book.pk}-title-author"
    assert html.startswith(f'<article class="book-card" aria-labelledby="{title_id}">')
    assert f'<a class="book-card__cover" href="{url}" tabindex="-1" aria-hidden="true">' in html
    assert f'<h3 class="book-card__title" id="{title_id}"><a href="{url}">Dune</a></h3>' in html
    assert '<p class="book-card__author">Frank Herbert</p>' in html
    assert '<span class="rating rating--none">No reviews yet</span>' in html
    assert '<span class="price">$12.50</span> <span class="stock stock--low">Only 3 left</span>' in html
    assert (
        f'cover--placeholder cover--tone{book.pk % 4}" role="img" aria-label="No cover image for Dune"'
        in html
    )
    assert "<form" not in html  # no quick add asked for


def test_quick_add_is_a_form_for_one_copy_back_to_this_page_with_the_csrf_token():
    book = BookFactory(title="On the Shelf", stock=5)

    html = _card(book, quick_add=True)

    form = html.split('<form class="book-card__add" method="post"')[1].split("</form>")[0]
    assert f'action="{reverse("cart:add")}"' in form
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="t0k">' in form
    assert f'name="book_id" value="{book.pk}"' in form and 'name="quantity" value="1"' in form
    assert 'name="next" value="/?page=2&amp;ordering=title"' in form
    assert 'Add to cart<span class="visually-hidden">: On the Shelf</span>' in form


def test_no_quick_add_for_a_sold_out_book():
    html = _card(BookFactory(stock=0), quick_add=True)

    assert "<form" not in html and '<span class="stock stock--out">Out of stock</span>' in html


def test_a_card_escapes_what_staff_typed():
    book = BookFactory(title='<script>alert("x")</script> & Co', author="O'Brien <b>", stock=2)

    html = _card(book, quick_add=True, path='/?search="><script>')

    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</a></h3>" in html
    assert "O&#x27;Brien &lt;b&gt;" in html
    assert 'name="next" value="/?search=%22%3E%3Cscript%3E"' in html


def test_a_cover_image_when_the_book_has_one_and_a_short_title_on_the_placeholder_otherwise():
    with_cover = BookFactory(title="Covered", cover="covers/covered.webp")
    long_title = BookFactory(title="One two three four five six seven eight nine ten", author="Ann")
    rendered = Template('{% load catalog_tags %}{% cover book "large" %}')

    image = rendered.render(Context({"book": with_cover}))
    placeholder = rendered.render(Context({"book": long_title}))

    assert (
        image
        == '<img class="cover cover--large" src="/media/covers/covered.webp" alt="Cover of Covered" loading="lazy">'
    )
    assert '<div class="cover cover--large cover--placeholder' in placeholder
    assert (
        '<span class="cover__title" aria-hidden="true">One two three four five six seven eight …</span>'
        in placeholder
    )
    assert '<span class="cover__author" aria-hidden="true">Ann</span></div>' in placeholder

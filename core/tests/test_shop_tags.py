"""The shared template helpers: optional links, absolute links for emails, money, page numbers."""

from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from core.templatetags.shop import absolute_url, link, money, page_numbers, url_exists


def test_url_exists_tells_wired_pages_from_missing_ones():
    assert url_exists("catalog:home") is True
    assert url_exists("cart:add") is True
    assert url_exists("shelf:not_built") is False
    assert url_exists("catalog:book_detail") is False  # missing its argument


def test_link_is_reverse_worked_out_once_per_prefix():
    assert link("cart:detail") == reverse("cart:detail") == "/cart/"
    set_script_prefix("/shop/")  # a site mounted below the root
    try:
        assert link("cart:detail") == reverse("cart:detail") == "/shop/cart/"
    finally:
        set_script_prefix("/")


def test_link_with_an_id_is_the_address_reverse_gives_for_it():
    for book_id in (1, 42, 10**12):
        assert link("catalog:book_detail", book_id) == reverse("catalog:book_detail", args=[book_id])
    set_script_prefix("/shop/")
    try:
        assert link("catalog:book_detail", 7) == reverse("catalog:book_detail", args=[7]) == "/shop/books/7/"
    finally:
        set_script_prefix("/")
    rendered = Template(
        "{% load shop %}{% link 'catalog:book_detail' book_id as url %}<a href=\"{{ url }}\">"
    )

    assert rendered.render(Context({"book_id": 9})) == '<a href="/books/9/">'


def test_link_with_keyword_arguments_is_the_address_reverse_gives_for_them():
    flatpage = "django.contrib.flatpages.views.flatpage"
    for page in ("contact/", "terms/"):
        assert link(flatpage, url=page) == reverse(flatpage, kwargs={"url": page}) == f"/pages/{page}"
    rendered = Template(
        "{% load shop %}<a href=\"{% link 'django.contrib.flatpages.views.flatpage' url='privacy/' %}\">"
    )

    assert rendered.render(Context()) == '<a href="/pages/privacy/">'
    with pytest.raises(TypeError, match="not both"):
        link("catalog:book_detail", 7, url="contact/")


def test_url_exists_in_a_template():
    template = Template(
        '{% load shop %}{% url_exists "shelf:not_built" as ready %}{% if ready %}shelf{% else %}none{% endif %}'
    )

    assert template.render(Context()) == "none"


def test_absolute_url_uses_shop_base_url(settings):
    settings.SITE_URL = "https://books.example.com"

    assert absolute_url("catalog:book_detail", book_id=7) == "https://books.example.com/books/7/"


@pytest.mark.parametrize(
    ("currency", "value", "expected"),
    [
        ("USD", Decimal("12.5"), "$12.50"),
        ("USD", Decimal("1234.56"), "$1,234.56"),
        ("EUR", "3", "€3.00"),
        ("CHF", Decimal("9.99"), "9.99 CHF"),
        ("USD", None, ""),
        ("USD", "not money", ""),
    ],
)
def test_money(settings, currency, value, expected):
    settings.SHOP_CURRENCY = currency

    assert money(value) == expected


def test_page_numbers_elide_far_pages():
    page = Paginator(range(200), 10).get_page(10)

    numbers = page_numbers(page)

    assert numbers[0] == 1
    assert numbers[-1] == 20
    assert [n for n in numbers if isinstance(n, int) and 8 <= n <= 12] == [8, 9, 10, 11, 12]
    assert page.paginator.ELLIPSIS in numbers

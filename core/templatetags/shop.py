"""Template helpers every shop page and email uses: money, absolute links, and optional features.

`url_exists` lets the shared layout link to a page (cart, wishlist, orders) only once the app that
serves it is wired in, so the layout never breaks while features are added one by one.
"""

import functools
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe

from core.page_shell import HOLES, hole_marker

register = template.Library()

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


@register.simple_tag
def url_exists(name: str) -> bool:
    """True when `{% url name %}` would resolve: `{% url_exists "cart:add" as cart_ready %}`. Worked out
    once per process and URL configuration, like `link`."""
    try:
        link(name)
    except NoReverseMatch:
        return False
    return True


# Stands in for the id while an address with one is reversed; no object has it (ids stay below MAX_ID).
STAND_IN_ID = 987_654_321_987_654_321


@register.simple_tag
def link(name: str, object_id: int | None = None, **fixed: str) -> str:
    """`{% url name %}` worked out once per process and URL configuration: every page's header and
    footer link a dozen pages. With an object's id, for a page whose only argument is that whole number
    (`{% link 'catalog:book_detail' book.pk %}`), the address is reversed once with a stand-in id, which
    each call replaces: a list's twenty book cards and a book page's related books each link one.
    `fixed`: keyword arguments the template writes out (`url='contact/'`), reversed once per set."""
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    if object_id is None:
        return _reversed(name, urlconf, prefix, tuple(sorted(fixed.items())))
    if fixed:
        raise TypeError("link takes an object's id or keyword arguments, not both")
    before, after = _reversed_around_id(name, urlconf, prefix)
    return f"{before}{int(object_id)}{after}"


@functools.lru_cache(maxsize=512)
def _reversed(name: str, urlconf: str, prefix: str, fixed: tuple[tuple[str, str], ...]) -> str:
    return reverse(name, kwargs=dict(fixed), urlconf=urlconf)


@functools.lru_cache(maxsize=512)
def _reversed_around_id(name: str, urlconf: str, prefix: str) -> tuple[str, str]:
    before, _id, after = reverse(name, args=[STAND_IN_ID], urlconf=urlconf).partition(str(STAND_IN_ID))
    return before, after


@register.simple_tag(takes_context=True)
def personal(context, template_name: str, shared_when_anonymous: bool = False, **values) -> str:
    """The visitor's own part of a page (cart badge, account menu, messages), given `values`: the
    template rendered here, as `{% include ... with %}` would, or, in a shared page's shell, a marker
    that core.page_shell fills in per request. `shared_when_anonymous`: the part is the same for every
    anonymous visitor (a "Log in to …" link), so their shell has it rendered in place."""
    holes = context.get(HOLES)
    if holes is not None and not (shared_when_anonymous and not context["request"].user.is_authenticated):
        holes.append((template_name, values))
        return mark_safe(hole_marker(len(holes) - 1))  # noqa: S308 (our own constant text)
    with context.push(values):
        return context.template.engine.get_template(template_name).render(context)


@register.simple_tag
def absolute_url(name: str, *args, **kwargs) -> str:
    """A full link to a named page for places without a request (emails): SITE_URL + path, never the
    Host of whatever request caused the mail."""
    return settings.SITE_URL + reverse(name, args=args, kwargs=kwargs)


@register.filter
def money(value) -> str:
    """A price in the shop's currency: `$12.50`, or `12.50 CHF` for currencies without a symbol here."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    currency = settings.SHOP_CURRENCY
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency}"


@register.simple_tag
def page_numbers(page) -> list:
    """Page numbers around the current page, with `…` gaps, for `includes/pagination.html`."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))

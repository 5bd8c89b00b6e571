"""The header's cart count on every page: one query for a logged-in shopper, none for an anonymous one."""

from functools import cache

from .selectors import cart_item_count
from .session_cart import session_cart_item_count


def cart(request) -> dict:
    """`cart_item_count`: a callable the template engine calls, so it is counted (once) only on pages
    that show it; admin pages, for one, do not."""

    @cache
    def count() -> int:
        if request.user.is_authenticated:
            return cart_item_count(user=request.user)
        return session_cart_item_count(session=request.session)

    return {"cart_item_count": count}

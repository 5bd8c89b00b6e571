"""`{% picked_for_you %}`: the account page's "Picked for you", rendered by the app that knows purchases.

The account page (the accounts app, below orders in the stack) includes it by name only, as the book
page includes the reviews section: the page is composed in its template, never by an import.
"""

from django import template

from orders.recommendations import recommendations_for_user

register = template.Library()

PICKED_ON_PAGE = 8


@register.inclusion_tag("orders/_picked_for_you.html", takes_context=True)
def picked_for_you(context) -> dict:
    request = context["request"]
    picks = recommendations_for_user(user=request.user, limit=PICKED_ON_PAGE)
    return {"request": request, "csrf_token": context.get("csrf_token"), "picks": picks}

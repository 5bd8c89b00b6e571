"""Where a shopper page sends the browser next, shared by the account and cart pages."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request) -> str:
    """The `next` page to return to (POST or query string), only when it points back into this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""

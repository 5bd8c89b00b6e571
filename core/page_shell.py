"""Pages rendered once for everyone, with the personal parts filled in per request.

A shop page is mostly the same for every visitor (the books, the genre tree, the filters) and costs
milliseconds of template rendering; the parts that are not (the cart badge and account menu, the
messages, the CSRF token in its forms, the Content-Security-Policy nonce on its scripts) are small. So a
page can be rendered as a *shell*: the same template, where

- each `{% personal "template" %}` (core/templatetags/shop.py) leaves a marker instead of its template
  (one marked `shared_when_anonymous` is rendered in place for an anonymous visitor: the same for all),
- every `{% csrf_token %}` writes CSRF_MARK instead of this visitor's token,
- every `nonce="{{ request.csp_nonce }}"` writes NONCE_MARK instead of this response's nonce.

A shell holds nothing of the visitor's, so it may be kept and served to anyone (catalog/page_cache.py
keeps the catalog's; a shell with `shared_when_anonymous` parts rendered is kept for anonymous visitors
only); `shell_response` then renders the personal templates for this request and puts them, the request's
CSRF token and its nonce in place. A page rendered without a shell context (every page but the
catalog's) renders its personal templates in place, as an `{% include %}` would.
"""

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.context import make_context
from django.template.loader import render_to_string

# Text that cannot come out of the template engine's escaping changed, and that no page shows otherwise.
CSRF_MARK = "csrf-token-of-this-request-goes-here"
NONCE_MARK = "csp-nonce-of-this-response-goes-here"
# The context variable that makes `{% personal %}` leave a marker (the list collects the parts).
HOLES = "page_shell_holes"


def hole_marker(number: int) -> str:
    return f"<!--personal:{number}-->"


@dataclass(frozen=True)
class Shell:
    html: str
    # The personal parts in page order: (template, the values it was given), e.g. the book it is about.
    holes: tuple[tuple[str, dict], ...]
    # What the view does on every request, the shell kept or not (e.g. counting a search); plain values.
    extra: dict = field(default_factory=dict)
    cacheable: bool = True  # False: the page said something only to this request (a message)


_MISSING = object()


def shell_render(request, template_name: str, context: dict, **kwargs) -> Shell:
    """The page as a Shell: rendered with the request (context processors and all), without its
    personal parts, CSRF token or nonce. `kwargs` are the Shell's `extra` and `cacheable`."""
    holes: list[tuple[str, dict]] = []
    nonce = request.__dict__.get("csp_nonce", _MISSING)
    request.csp_nonce = NONCE_MARK
    try:
        html = render_to_string(
            template_name, {**context, "csrf_token": CSRF_MARK, HOLES: holes}, request=request
        )
    finally:
        if nonce is _MISSING:
            del request.csp_nonce
        else:
            request.csp_nonce = nonce
    return Shell(html=html, holes=tuple(holes), **kwargs)


def shell_response(request, shell: Shell) -> HttpResponse:
    """The page for this request: the shell with this visitor's parts, CSRF token and nonce."""
    html = shell.html
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, get_token(request))
    if NONCE_MARK in html:
        html = html.replace(NONCE_MARK, str(request.csp_nonce))
    if shell.holes:
        # One context for all the personal templates: the context processors run once.
        engine = engines["django"].engine
        context = make_context({}, request)
        with context.bind_template(engine.get_template(shell.holes[0][0])):
            for number, (name, values) in enumerate(shell.holes):
                with context.push(values):
                    part = engine.get_template(name).render(context)
                html = html.replace(hole_marker(number), part, 1)
    return HttpResponse(html)

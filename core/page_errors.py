"""How a shop page answers a service's refusal: one mapper for every page (the API has DRF's handler).

Page views call services and let their refusals rise: a `BusinessError` or Django's `ValidationError`.
`refusal_response` turns one into what the shopper sees, always with the service's own sentence (the
same `detail` a REST client reads):

- a form action (a view decorated with `page_action`) goes back to the page the form was on, with the
  refusal as a message after what did not happen ("Your cart was not changed. Only 2 of “Dune” in
  stock."), whatever the refusal: a second click on "Remove" reads "This book is not on your wishlist."
  (when the refusal is that something does not exist, and the form named no page to return to, back to
  the catalog: the form's own page may be what is missing);
- a page read shows the 404 or 403 page for a refusal of access (`NotFound`: no such object, or someone
  else's private one; `Forbidden`: not yours), as the API answers 404 or 403, and the refusal page with
  the refusal's status for any other (409, 503...);
- a script asking for JSON (`Accept: application/json`), or any call of a `json_endpoint` view, gets
  the API's `{detail, code}` body.

`ShopRefusalMiddleware` applies it to refusals that leave a page view; requests under /api/ are left to
DRF. Pages whose form shows the refusal beside its fields use `core.forms.form_add_service_errors`.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import get_resolver
from django.views.decorators.http import require_POST

from .error_views import is_api_request
from .errors import BusinessError, Duplicate, Forbidden, NotFound
from .redirects import safe_next_url

# Where a form action goes back to after "no such thing" when its form named no page to return to.
MISSING_FALLBACK = "catalog:home"
# Refusals that mean "already done" read as information, not as an error.
INFO_REFUSALS = (Duplicate,)


def refusal_detail(exc: BusinessError | ValidationError) -> str:
    return exc.detail if isinstance(exc, BusinessError) else " ".join(exc.messages)


def refusal_status(exc: BusinessError | ValidationError) -> int:
    return exc.status_code if isinstance(exc, BusinessError) else 400


def _wants_json(request: HttpRequest) -> bool:
    return request.accepts("application/json") and not request.accepts("text/html")


def _error_page(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """Django's own 404/403 handlers (the pages every other missing or forbidden page shows)."""
    handler = get_resolver().resolve_error_handler(status)
    exception = Http404(detail) if status == 404 else PermissionDenied(detail)
    return handler(request, exception=exception)


def refusal_json(exc: BusinessError | ValidationError) -> JsonResponse:
    code = exc.code if isinstance(exc, BusinessError) else "invalid"
    return JsonResponse({"detail": refusal_detail(exc), "code": code}, status=refusal_status(exc))


def refusal_response(
    request: HttpRequest, exc: BusinessError | ValidationError, *, back: str | None = None, failed: str = ""
) -> HttpResponse:
    """What a page answers for a refused service call; `back` (a form action's page) and `failed` (what
    did not happen) apply to form actions only."""
    status, detail = refusal_status(exc), refusal_detail(exc)
    if _wants_json(request):
        return refusal_json(exc)
    if back is not None:
        level = messages.INFO if isinstance(exc, INFO_REFUSALS) else messages.ERROR
        messages.add_message(request, level, " ".join(filter(None, [failed, detail])))
        return redirect(back)
    if isinstance(exc, NotFound | Forbidden):
        return _error_page(request, status, detail)
    return render(request, "refused.html", {"detail": detail, "status": status}, status=status)


class ShopRefusalMiddleware:
    """Answers a refusal that leaves a shop page view (see the module docstring); the API's are DRF's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_api_request(request) or not isinstance(exception, BusinessError | ValidationError):
            return None
        return refusal_response(request, exception)


def page_action(
    *, back: Callable[..., str] | str, failed: str = "", login_required: bool = False
) -> Callable:
    """A shop page's form action: POST only, and a refusal sends the shopper back with a message.

    `back` is where the form was: a URL (name) or a function of the request and the view's arguments; a
    safe `next` posted with the form wins. The view may send the shopper there on success too, with
    `redirect(action_back(request))`. With `login_required`, an anonymous shopper is sent to log in and
    then back to that page, never to this POST-only address.
    """

    def decorator(view):
        @require_POST
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            next_url = safe_next_url(request)
            target = back(request, *args, **kwargs) if callable(back) else resolve_url(back)
            request.action_back = next_url or target
            if login_required and not request.user.is_authenticated:
                return redirect_to_login(request.action_back)
            try:
                return view(request, *args, **kwargs)
            except (BusinessError, ValidationError) as exc:
                if isinstance(exc, NotFound) and not next_url:
                    request.action_back = resolve_url(MISSING_FALLBACK)
                return refusal_response(request, exc, back=request.action_back, failed=failed)

        return wrapper

    return decorator


def action_back(request: HttpRequest) -> str:
    """Where the current `page_action` sends the shopper back to."""
    return request.action_back


def json_endpoint(view):
    """A JSON view of the shop pages (read by their scripts): a refusal answers `{detail, code}`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (BusinessError, ValidationError) as exc:
            return refusal_json(exc)

    return wrapper

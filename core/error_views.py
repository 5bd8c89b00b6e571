"""Django's own error handlers: the API answers in its JSON error format, the shop with its pages.

DRF's exception handler only covers requests that reach a DRF view. Whatever Django refuses before or
around one lands here instead: a path under /api/ that matches no route (404), a Host header not in
ALLOWED_HOSTS or a body over DATA_UPLOAD_MAX_MEMORY_SIZE (400, the latter answered as 413), a failed
CSRF check on a view outside DRF (403), a crash outside DRF (500). Under /api/ each is `{detail, code}`.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import csrf, defaults

API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(detail: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def bad_request(request, exception):
    if is_api_request(request):
        if isinstance(exception, RequestDataTooBig):
            return _api_error("The request body is too large.", "too_large", 413)
        return _api_error("Bad request.", "bad_request", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return _api_error("You do not have permission to perform this action.", "permission_denied", 403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    if is_api_request(request):
        return _api_error("CSRF check failed: send the CSRF token with a cookie session.", "csrf_failed", 403)
    return csrf.csrf_failure(request, reason=reason)


def page_not_found(request, exception):
    if is_api_request(request):
        return _api_error("Not found.", "not_found", 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return _api_error("Server error.", "server_error", 500)
    return defaults.server_error(request)

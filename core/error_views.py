"""Django's own error handlers: the API answers in its JSON error format, the shop with its pages.

DRF's exception handler only covers requests that reach a DRF view. A path under /api/ that matches no
route (an id that is not a run of digits, a typo) or a crash outside DRF lands here instead.
"""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def page_not_found(request, exception):
    if is_api_request(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
    return defaults.server_error(request)

"""The last API route: a path under /api/ that no route matches answers like every other API error.

DRF answers a missing object with JSON, but a path that matches no route at all (`/api/books/abc/`,
a typo in a resource name) would reach Django's own 404 (the shop's HTML page, or the debug page when
DEBUG is on), which an API client cannot parse. This catch-all gives it `{"detail", "code"}` in every
setting.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def api_not_found(request):
    raise NotFound()

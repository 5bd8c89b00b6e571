"""The one DRF exception handler: business errors become `{detail, code}` with the contract's status."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from .errors import BusinessError, Throttled


def api_exception_handler(exc, context):
    if isinstance(exc, BusinessError):
        body = {"detail": exc.detail, "code": exc.code, **exc.extra}
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
        return Response(body, status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        # A model/service validation error is the client's fault: answer it like a serializer error.
        exc = exceptions.ValidationError(as_serializer_error(exc))
    # DRF converts Django's own 404/403 too, but only after this point: convert them first so their
    # body gets a `code` like every other error.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        if isinstance(response.data, dict) and "detail" in response.data:
            response.data.setdefault("code", _code_of(exc))
        if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
            response.data["code"] = "throttled"
    return response


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code

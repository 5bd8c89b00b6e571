"""OpenAPI schema rules every API view gets, so views only declare what is special about them.

`ShopAutoSchema` (drf-spectacular's DEFAULT_SCHEMA_CLASS) adds to each operation:

- the error answers that follow from how the view is built: 400 when it takes input (a body or query
  filters), 401 when it authenticates (no, bad or expired token), 403 when a customer is refused
  (staff-only) or per object, or for a cookie session without its CSRF token, 404 for a path with an
  id or a paginated list (unknown page), 415 for a body in an unlisted format, 429 when throttled. Their bodies are the one error
  format of `core.exceptions`: `Error` (`{detail, code}`) or, for 400, also `FieldErrors`.
  And 414 (an HTML page from gunicorn, not the API) when query parameters can make the URL too long.
- who may call it: an operation anonymous callers may use lists the empty security requirement,
  whatever permission class says so (drf-spectacular only knows AllowAny and IsAuthenticatedOrReadOnly).
- integer path parameters: our routes only match ids of 1 to 18 digits (`OptionalSlashRouter`).

Business refusals a view's services raise (409 `insufficient_stock`, 400 `cart_empty`, 503 `busy`...)
cannot be seen from the view class: declare them in `@extend_schema(responses=...)` with `refusal()`
or `bad_request()`, which use the same components. A status a view declares wins over the default.

drf-spectacular documents a body for POST, PUT and PATCH only; a DELETE that takes one (closing an
account takes the password) says so with `@delete_with_body` (and `@extend_schema(request=...)`).
"""

import re
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

ERROR_COMPONENT = "Error"
FIELD_ERRORS_COMPONENT = "FieldErrors"

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every refusal other than invalid fields: a sentence for people and a stable code for programs. "
        "Some codes carry more fields (`insufficient_stock` names the books)."
    ),
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for people."},
        "code": {"type": "string", "description": "What went wrong, for programs: stable."},
    },
    "required": ["detail", "code"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "Invalid input: each key names a field (`non_field_errors` for the input as a whole) and holds "
        "its messages; a nested input nests its errors the same way."
    ),
    "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    "minProperties": 1,
}

ERROR = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
BAD_REQUEST = {"oneOf": [{"$ref": f"#/components/schemas/{FIELD_ERRORS_COMPONENT}"}, ERROR]}

# How drf-spectacular shows a route's id group (OptionalSlashRouter's and the explicit routes' digit runs).
DIGITS_PATTERN = re.compile(r"\^\[0-9\]\{1,(\d+)\}\$")
PAGINATION_QUERY_PARAMETERS = {"page", "page_size"}


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(f"`{code}`" for code in codes)


def refusal(*codes: str, description: str = "") -> OpenApiResponse:
    """An `Error` answer with these machine codes, for `@extend_schema(responses={409: refusal(...)})`."""
    return OpenApiResponse(
        ERROR, description=" ".join(filter(None, [description, f"Code: {_codes(codes)}."]))
    )


def bad_request(*codes: str) -> OpenApiResponse:
    """A 400 that may also be a business refusal with one of these codes, besides invalid fields."""
    return OpenApiResponse(
        BAD_REQUEST, description=f"Invalid input (`FieldErrors`), or an `Error` with code {_codes(codes)}."
    )


def csv_format_parameter() -> OpenApiParameter:
    """`?format=csv` on the staff reports that also answer as a CSV file (core.csv_export)."""
    return OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "csv"],
        description="`csv` answers the whole filtered list as a CSV file (not paged); default `json`.",
    )


def csv_or_json(serializer, *, description: str = "") -> dict:
    """The 200 answers of a report offered as JSON and, with `?format=csv`, as a CSV file."""
    return {
        (200, "application/json"): serializer,
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description=description or "The same rows as a CSV file with a header line (UTF-8).",
        ),
    }


DEFAULT_ERRORS = {
    "400": OpenApiResponse(BAD_REQUEST, description="Invalid input: `FieldErrors` (or a malformed body)."),
    "404": refusal(
        "not_found", description="No such object (another user's counts as none), or no such page."
    ),
    "415": refusal("unsupported_media_type", description="The body is in a format not listed here."),
    "429": refusal("throttled", description="Too many requests; retry after `Retry-After` seconds."),
}

# gunicorn answers a request line over its limit_request_line (4094 bytes by default) itself, in HTML,
# before Django sees it; only a long query string gets there.
URI_TOO_LONG = OpenApiResponse(
    OpenApiTypes.STR,
    description="The path and query are longer than 4094 bytes: the HTTP server refuses them, in HTML.",
)

ERROR_HEADERS = [
    OpenApiParameter(
        "WWW-Authenticate",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[401],
        required=True,
        description="The scheme to authenticate with: `Bearer`.",
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[429],
        required=True,
        description="Seconds to wait before trying again.",
    ),
]


def delete_with_body(view_method):
    """Marks a viewset's DELETE action as taking the request body its `extend_schema` declares."""
    view_method.delete_takes_body = True
    return view_method


class ShopAutoSchema(AutoSchema):
    def _get_request_body(self, direction="request"):
        action = getattr(self.view, getattr(self.view, "action", None) or "", None)
        if self.method != "DELETE" or not getattr(action, "delete_takes_body", False):
            return super()._get_request_body(direction)
        self.method = "POST"  # drf-spectacular's own check is on the method name only
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"

    def get_override_parameters(self):
        """The headers some error answers carry (WWW-Authenticate, Retry-After)."""
        return [*super().get_override_parameters(), *ERROR_HEADERS]

    def _resolve_path_parameters(self, variables):
        """Ids as integers: the routes only match 1 to 18 digits, which drf-spectacular shows as a pattern."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            digits = DIGITS_PATTERN.fullmatch(parameter["schema"].get("pattern", ""))
            if digits:
                parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": 10 ** int(digits[1]) - 1}
        return parameters

    def get_auth(self):
        auths = super().get_auth()
        if auths and {} not in auths and self._permits(AnonymousUser()):
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        self._register_error_components()
        for status, response in self._default_errors().items():
            if status not in responses:
                # Error bodies are JSON whatever the view renders otherwise (a CSV report, say).
                responses[status] = self._get_response_for_code(
                    response, status, ["application/json"], direction=direction
                )
        if self._query_parameters() and "414" not in responses:
            responses["414"] = self._get_response_for_code(URI_TOO_LONG, "414", ["text/html"], direction)
        return dict(sorted(responses.items()))

    def _default_errors(self) -> dict[str, OpenApiResponse]:
        errors = {}
        if self._takes_input():
            errors["400"] = DEFAULT_ERRORS["400"]
        authenticators = self.view.get_authenticators()
        if authenticators:
            anonymous_allowed = self._permits(AnonymousUser())
            errors["401"] = refusal(
                "not_authenticated",
                "authentication_failed",
                "token_not_valid",
                "token_revoked",
                description=(
                    "The bearer token is invalid, expired, or of a login that has ended (`token_revoked`)."
                    if anonymous_allowed
                    else "Authentication needed: no, an invalid or an expired bearer token, or one of a "
                    "login that has ended (`token_revoked`)."
                ),
            )
        forbidden = self._forbidden_reasons(authenticators)
        if forbidden:
            errors["403"] = refusal("permission_denied", description=" ".join(forbidden))
        if self._has_path_id() or self._is_paginated():
            errors["404"] = DEFAULT_ERRORS["404"]
        if self._get_request_body():
            errors["415"] = DEFAULT_ERRORS["415"]
        if self.view.get_throttles():
            errors["429"] = DEFAULT_ERRORS["429"]
        return errors

    def _forbidden_reasons(self, authenticators) -> list[str]:
        reasons = []
        if not self._permits(get_user_model()(is_staff=False, is_active=True)):
            reasons.append("Staff only.")
        if self._has_path_id() and self._has_object_permissions():
            reasons.append("Not allowed on this object.")
        if self.method not in SAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in authenticators
        ):
            reasons.append("A cookie-session call needs the CSRF token.")
        return reasons

    def _permits(self, user) -> bool:
        """Whether the view's permission classes let this user call the operation at all."""
        request = SimpleNamespace(method=self.method, user=user, auth=None)
        return all(
            permission.has_permission(request, self.view) for permission in self.view.get_permissions()
        )

    def _has_object_permissions(self) -> bool:
        return any(
            type(permission).has_object_permission is not BasePermission.has_object_permission
            for permission in self.view.get_permissions()
        )

    def _has_path_id(self) -> bool:
        return "{" in self.path

    def _query_parameters(self) -> set[str]:
        return {p["name"] for p in self._get_parameters() if p["in"] == "query"}

    def _is_paginated(self) -> bool:
        return "page" in self._query_parameters()

    def _takes_input(self) -> bool:
        return bool(self._get_request_body() or self._query_parameters() - PAGINATION_QUERY_PARAMETERS)

    def _register_error_components(self) -> None:
        for name, schema in [(ERROR_COMPONENT, ERROR_SCHEMA), (FIELD_ERRORS_COMPONENT, FIELD_ERRORS_SCHEMA)]:
            self.registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            )

"""Business-rule errors shared by every app.

Services raise subclasses of `BusinessError`; the API's exception handler and the shopper views turn them
into the contract's `{detail, code}` answer. Each subclass fixes its HTTP status and machine code.
"""


class BusinessError(Exception):
    status_code = 409
    code = "conflict"
    default_detail = "The request conflicts with the current state."
    # The input the refusal is about, when it is about one (a form shows it beside that field).
    field: str | None = None

    def __init__(self, detail: str | None = None, *, extra: dict | None = None):
        self.detail = detail or self.default_detail
        self.extra = extra or {}
        super().__init__(self.detail)


class Duplicate(BusinessError):
    code = "duplicate"
    default_detail = "This already exists."


class InvalidTransition(BusinessError):
    code = "invalid_transition"
    default_detail = "This change is not allowed in the current state."


class PayloadTooLarge(BusinessError):
    status_code = 413
    code = "too_large"
    default_detail = "The upload is too large."


class ServiceBusy(BusinessError):
    """The database kept refusing for lock reasons after bounded retries: the client may retry."""

    status_code = 503
    code = "busy"
    default_detail = "The shop is busy right now; please try again in a moment."


class NotFound(BusinessError):
    """A missing object, or another user's private one (never reveal that it exists)."""

    status_code = 404
    code = "not_found"
    default_detail = "Not found."


class Forbidden(BusinessError):
    status_code = 403
    code = "forbidden"
    default_detail = "You are not allowed to do this."


class Throttled(BusinessError):
    """Too many attempts at something guarded (logins, password checks): the API adds `Retry-After`."""

    status_code = 429
    code = "throttled"
    default_detail = "Too many attempts. Please try again later."

    def __init__(self, detail: str | None = None, *, retry_after: int, extra: dict | None = None):
        self.retry_after = retry_after
        super().__init__(detail, extra=extra)

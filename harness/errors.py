"""Every error the harness raises descends from :class:`HarnessError`.

::

    HarnessError
    ├── ApiError                      an answer the mock API gives in the error envelope
    │   ├── ValidationFailed          400 VALIDATION_ERROR, details.errors = [{field, message}]
    │   ├── InvalidJson               400 INVALID_JSON
    │   ├── BadRequest                400 BAD_REQUEST: the HTTP message itself is malformed
    │   ├── RequestTimeout            408 REQUEST_TIMEOUT: headers or body too slow to arrive
    │   ├── InvalidApiKey             401 INVALID_API_KEY (missing, unknown or expired)
    │   ├── ApiKeySuspended           401 API_KEY_SUSPENDED, details = {suspendedAt, reason}
    │   ├── InsufficientPermissions   403 INSUFFICIENT_PERMISSIONS (names the scope)
    │   ├── AccessDenied              403 RESOURCE_ACCESS_DENIED
    │   ├── ForeignRequest            403 FOREIGN_HOST / FOREIGN_ORIGIN (harness.guard refused it)
    │   ├── NotFound                  404 RESOURCE_NOT_FOUND, details = {resourceType, resourceId}
    │   ├── Conflict                  409 CONFLICT
    │   ├── OperationNotAllowed       403 OPERATION_NOT_ALLOWED (an ONLINE interview's calls)
    │   ├── BillingLimitReached       402 BILLING_LIMIT_REACHED
    │   ├── PayloadTooLarge           413 PAYLOAD_TOO_LARGE
    │   ├── UnsupportedMediaType      415 UNSUPPORTED_MEDIA_TYPE, details = {contentType}
    │   │   └── UnsupportedEncoding     ... details = {contentEncoding}
    │   ├── RateLimited               429 RATE_LIMIT_EXCEEDED
    │   └── InjectedFault             5xx INTERNAL_ERROR from POST /_harness/faults (api.faults)
    ├── ConfigError                   a bad option or world file, found before anything listens
    └── (also AssertionError)         what a test sees from the pytest plugin (harness.testing)
        ├── EventTimeout              wait_for found no match; lists every event that arrived
        ├── UnexpectedResponse        a helper's call was not answered with a 2xx
        ├── DeliveryTimeout           drain() gave up with deliveries still queued
        └── SchemaViolationError      assert_valid*: every violation, instance and schema path
"""

from __future__ import annotations

from typing import Any


class HarnessError(Exception):
    """Root of every exception the harness raises on purpose."""


class ConfigError(HarnessError):
    """A configuration value or data file the harness cannot use."""


class ApiError(HarnessError):
    """An error the mock API answers with, in the error envelope."""

    status: int = 500
    code: str = "INTERNAL_ERROR"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}
        #: Extra response headers (``Retry-After`` on a 429).
        self.headers: dict[str, str] = {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class FieldError:
    """One failed field: ``field`` is a dotted path such as ``candidate.jobId``."""

    __slots__ = ("field", "message")

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}

    def __repr__(self) -> str:
        return f"FieldError({self.field!r}, {self.message!r})"


class ValidationFailed(ApiError):
    status = 400
    code = "VALIDATION_ERROR"

    def __init__(self, errors: list[FieldError]) -> None:
        first = errors[0] if errors else FieldError("", "invalid request")
        message = f"{first.field}: {first.message}" if first.field else first.message
        super().__init__(message, {"errors": [e.as_dict() for e in errors]})
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])


class InvalidJson(ApiError):
    status = 400
    code = "INVALID_JSON"


class BadRequest(ApiError):
    status = 400
    code = "BAD_REQUEST"


class RequestTimeout(ApiError):
    status = 408
    code = "REQUEST_TIMEOUT"


class InvalidApiKey(ApiError):
    status = 401
    code = "INVALID_API_KEY"


class ApiKeySuspended(ApiError):
    status = 401
    code = "API_KEY_SUSPENDED"

    def __init__(self, suspended_at: str, reason: str) -> None:
        super().__init__(
            "This API key has been suspended", {"suspendedAt": suspended_at, "reason": reason}
        )


class InsufficientPermissions(ApiError):
    status = 403
    code = "INSUFFICIENT_PERMISSIONS"

    def __init__(self, scope: str) -> None:
        super().__init__(f"API key lacks the required scope {scope}", {"requiredScope": scope})


class AccessDenied(ApiError):
    status = 403
    code = "RESOURCE_ACCESS_DENIED"

    def __init__(self, resource_type: str, resource_id: str) -> None:
        super().__init__(
            f"{resource_type} {resource_id} belongs to another company",
            {"resourceType": resource_type, "resourceId": resource_id},
        )


class ForeignRequest(ApiError):
    """A request :mod:`harness.guard` refuses (``FOREIGN_HOST`` or ``FOREIGN_ORIGIN``)."""

    status = 403

    def __init__(self, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(message, details)
        self.code = code


class NotFound(ApiError):
    status = 404
    code = "RESOURCE_NOT_FOUND"

    def __init__(self, resource_type: str, resource_id: str) -> None:
        super().__init__(
            f"{resource_type} {resource_id} not found",
            {"resourceType": resource_type, "resourceId": resource_id},
        )


class Conflict(ApiError):
    status = 409
    code = "CONFLICT"


class OperationNotAllowed(ApiError):
    """A request the resource's kind forbids (call attempts of an ONLINE interview)."""

    status = 403
    code = "OPERATION_NOT_ALLOWED"


class BillingLimitReached(ApiError):
    status = 402
    code = "BILLING_LIMIT_REACHED"


class PayloadTooLarge(ApiError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"

    def __init__(self, content_type: str) -> None:
        super().__init__(
            f"request bodies are JSON: send Content-Type: application/json, not {content_type!r}",
            {"contentType": content_type},
        )


class UnsupportedEncoding(UnsupportedMediaType):
    def __init__(self, coding: str) -> None:
        ApiError.__init__(
            self,
            f"Content-Encoding {coding!r} is not one the API decodes (gzip, deflate, identity)",
            {"contentEncoding": coding},
        )


class RateLimited(ApiError):
    status = 429
    code = "RATE_LIMIT_EXCEEDED"

"""The one error hierarchy of Lantoa.

Services raise these; the API maps them to ``{"code", "message", "extra"}`` with the
status below, and forms show the message next to the field named in ``extra["field"]``.
Codes are stable: clients and tests rely on them.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    code = "application_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "extra": self.extra}


class ValidationFailed(ApplicationError):
    code = "validation_failed"
    status = 422


class NotFound(ApplicationError):
    """Also what a gate raises when the user may not see the object: the two must look alike."""

    code = "not_found"
    status = 404


class PermissionDenied(ApplicationError):
    """For actions on objects the user can see but may not change (e.g. read-only role)."""

    code = "permission_denied"
    status = 403


class Conflict(ApplicationError):
    code = "conflict"
    status = 409


class TooManyRequests(ApplicationError):
    """A limit was reached; ``retry_after`` seconds until it is worth trying again (the API
    sends it as the Retry-After header, and in ``extra``)."""

    code = "too_many_requests"
    status = 429

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code, extra={"retry_after": retry_after})
        self.retry_after = retry_after


class ImportRejected(ValidationFailed):
    """An import with bad rows: ``extra["errors"]`` lists every problem; nothing was written."""

    code = "import_rejected"

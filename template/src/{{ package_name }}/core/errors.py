"""Domain errors: raised by services and repositories, mapped to HTTP in api/errors.py.

They carry no HTTP status so the CLI and background jobs can reuse the services.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class for errors the client can act on."""

    title = "Domain error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(DomainError):
    title = "Not found"


class ConflictError(DomainError):
    title = "Conflict"


class InvalidInputError(DomainError):
    """Input that passed schema validation but breaks a rule that needs stored state."""

    title = "Invalid input"


class AuthenticationError(DomainError):
    title = "Not authenticated"


class PermissionDeniedError(DomainError):
    title = "Forbidden"


class DependencyUnavailableError(DomainError):
    """A database, broker or upstream service cannot be reached right now."""

    title = "Service unavailable"


class RateLimitedError(DomainError):
    """Too many requests from one client; it may try again after `retry_after` seconds."""

    title = "Too many requests"

    def __init__(self, detail: str, *, limit: int, retry_after: int) -> None:
        super().__init__(detail)
        self.limit = limit
        self.retry_after = retry_after


class UpstreamError(DomainError):
    """A partner API we call failed, or answered what we cannot use."""

    title = "Bad gateway"


class UpstreamTimeoutError(UpstreamError):
    """A partner API we call did not answer in time."""

    title = "Gateway timeout"


class IdempotencyKeyInUseError(ConflictError):
    """A request with this Idempotency-Key is still being processed."""

    title = "Idempotency key in use"


class IdempotencyKeyReusedError(InvalidInputError):
    """This Idempotency-Key was sent before with another request."""

    title = "Idempotency key reused"


class UnsupportedMediaTypeError(DomainError):
    """Content whose real type, told from its bytes, is not one the operation accepts."""

    title = "Unsupported media type"

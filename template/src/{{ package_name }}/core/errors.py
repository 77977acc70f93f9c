"""Domain errors: raised by services and repositories, mapped to HTTP in api/errors.py.

They carry no HTTP status so the CLI and background jobs can reuse the services.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class for errors the client can act on.

    `detail` is what the client reads: the problem's title is its status's own phrase.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(DomainError):
    """What was asked for does not exist."""


class ConflictError(DomainError):
    """The request clashes with what is stored: a duplicate, a row still in use."""


class InvalidInputError(DomainError):
    """Input that passed schema validation but breaks a rule that needs stored state."""


class AuthenticationError(DomainError):
    """The caller did not prove who it is: no credentials, or ones that do not hold."""


class PermissionDeniedError(DomainError):
    """The caller is known, but its role does not allow this."""


class DependencyUnavailableError(DomainError):
    """A database, broker or upstream service cannot be reached right now."""


class RateLimitedError(DomainError):
    """Too many requests from one client; it may try again after `retry_after` seconds."""

    def __init__(self, detail: str, *, limit: int, retry_after: int) -> None:
        super().__init__(detail)
        self.limit = limit
        self.retry_after = retry_after


class UpstreamError(DomainError):
    """A partner API we call failed, or answered what we cannot use."""


class UpstreamTimeoutError(UpstreamError):
    """A partner API we call did not answer in time."""


class IdempotencyKeyInUseError(ConflictError):
    """A request with this Idempotency-Key is still being processed."""


class IdempotencyKeyReusedError(InvalidInputError):
    """This Idempotency-Key was sent before with another request."""


class UnsupportedMediaTypeError(DomainError):
    """Content whose real type, told from its bytes, is not one the operation accepts."""

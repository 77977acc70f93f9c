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


class UnsupportedMediaTypeError(DomainError):
    """Content whose real type, told from its bytes, is not one the operation accepts."""

    title = "Unsupported media type"

"""Exceptions the services raise; each carries a message fit to show a person."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: something the user asked for cannot be done, and nothing changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class InvalidTransition(ServiceError):
    pass


class ValidationFailed(ServiceError):
    """Input was refused; ``errors`` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"": [errors]}
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


class StaleClaim(ServiceError):
    """The claim changed since the user loaded it; ``current`` is the newer version."""

    def __init__(self, message: str, current=None, changes: dict | None = None):
        super().__init__(message)
        self.current = current
        self.changes = changes or {}


class DuplicateArticle(ServiceError):
    def __init__(self, message: str, existing_id: int):
        super().__init__(message)
        self.existing_id = existing_id


class ArticleFormatError(ServiceError):
    """An article file or text could not be read as an article."""


class SeedError(ServiceError):
    """The seed catalogue is wrong; the message names the entry."""


class LoginFailed(ServiceError):
    pass


class AccountLocked(LoginFailed):
    def __init__(self, message: str, until):
        super().__init__(message)
        self.until = until

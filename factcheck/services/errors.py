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


class QuoteNotFound(ServiceError):
    """The quote cannot be placed in the article body.

    ``reason`` is one of EMPTY, MISSING (not in the body), AMBIGUOUS (it occurs
    ``occurrences`` times and no occurrence was given) or NO_SUCH_OCCURRENCE
    (``occurrence`` is outside 1..``occurrences``). The message is for a log or
    a seed file; a form picks its own words from the fields.
    """

    EMPTY, MISSING, AMBIGUOUS, NO_SUCH_OCCURRENCE = "empty", "missing", "ambiguous", "no_such_occurrence"

    def __init__(self, reason: str, occurrences: int = 0, occurrence: int | None = None):
        messages = {
            self.EMPTY: "the quote is empty",
            self.MISSING: "the quote is not in the article body (check curly quotes and apostrophes)",
            self.AMBIGUOUS: f"the quote occurs {occurrences} times; add occurrence = 1..{occurrences}",
            self.NO_SUCH_OCCURRENCE: f"occurrence = {occurrence}, but the quote occurs {occurrences} time(s)",
        }
        super().__init__(messages[reason])
        self.reason = reason
        self.occurrences = occurrences
        self.occurrence = occurrence


class ArticleFormatError(ServiceError):
    """An article file or text could not be read as an article.

    ``source`` names where it came from (a file name, "the form"); ``problem``
    says what is wrong, fit to show beside the field it came from.
    """

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class DuplicateArticle(ArticleFormatError):
    """The same text is already imported (``existing_id``; 0 when it is earlier in the same batch)."""

    def __init__(self, source: str, problem: str, existing_id: int):
        super().__init__(source, problem)
        self.existing_id = existing_id


class SeedError(ServiceError):
    """The seed catalogue is wrong; the message names the entry."""


class LoginFailed(ServiceError):
    pass


class AccountLocked(LoginFailed):
    def __init__(self, message: str, until):
        super().__init__(message)
        self.until = until

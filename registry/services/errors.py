"""What a service refuses, named per field: the API turns each into its problem+json answer.

Services raise these and never build an HTTP answer themselves; ``registry.problems`` maps each
class to its status once, for every route, and the CLI reports them in words.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A request the registry refuses; ``errors`` names the fields (or parameters) at fault."""

    status = 422

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}

    @property
    def detail(self) -> str:
        """The problem's ``detail``: the message itself, unless a subclass words it for the whole request."""
        return str(self)


class EditorialError(ServiceError):
    """A write the registry refuses (422): invalid once merged, or naming records it does not have."""


class Conflict(EditorialError):
    """A write that clashes with what is stored (409): a taken slug, a record still referred to."""

    status = 409


class Forbidden(EditorialError):
    """A write this token's role may not make (403)."""

    status = 403


class Stale(EditorialError):
    """The record changed while the write was under way (412)."""

    status = 412


class NotFound(ServiceError):
    """No record answers to that slug, or none the caller may see (404)."""

    status = 404


class QueryError(ServiceError):
    """A query parameter whose value names nothing the registry knows (400)."""

    status = 400

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("A query parameter names nothing the registry knows.", errors)

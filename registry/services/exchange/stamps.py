"""A record's stamps in an exchange file: when it was made and last changed, its version, and for a practice
when it was published and (soft-)deleted, so that an export loses nothing and an import restores it.

The fields are ``validation.StampInput``'s (``PracticeStampInput``'s for practices): declared there once,
read here for both directions. Times are written in UTC, ISO 8601 (``2024-05-01T07:30:00Z``); an import
reads any offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema

from registry.models import Practice
from registry.models.base import as_utc
from registry.services.validation import PracticeStampInput, StampInput


def stamp_schema(model: type) -> type[Schema]:
    """The schema of the stamps a record of ``model`` carries."""
    return PracticeStampInput if model is Practice else StampInput


#: Every stamp field of any kind, in declaration order.
STAMP_FIELDS: tuple[str, ...] = tuple(PracticeStampInput().fields)


def utc_text(moment: datetime) -> str:
    """A stored time as exports write it: ISO 8601 in UTC, ``Z`` for its offset, as the API shows times."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")


def stamp_of(record: Any) -> dict[str, Any]:
    """The stamps of a stored record, as an export writes them."""
    return {name: utc_text(value) if isinstance(value := getattr(record, name), datetime) else value
            for name in stamp_schema(type(record))().fields}


def split_stamp(model: type, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``raw`` (a record as a file gives it) as its content, for its kind's schema, and its stamps.

    Only the stamp fields ``model`` has are taken out: a ``deleted_at`` on a network stays in the content,
    where the schema names it an unknown field.
    """
    names = stamp_schema(model)().fields
    return ({k: v for k, v in raw.items() if k not in names}, {k: v for k, v in raw.items() if k in names})

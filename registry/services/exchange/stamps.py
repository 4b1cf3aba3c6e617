"""A record's stamps in an exchange file: when it was made and last changed, its version, and for a practice
when it was published and (soft-)deleted, so that an export loses nothing and an import restores it.

The fields are ``StampInput``'s (``PracticeStampInput``'s for practices): declared here once, read for both
directions. They are never API input: only what an import restores on a record it creates. Times are written
in UTC, ISO 8601 (``2024-05-01T07:30:00Z``); an import reads any offset.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from registry.models import Practice
from registry.models.base import as_utc


def _plausible_time(value: datetime) -> None:
    if not 1900 <= value.year <= 9998:  # 9999 could overflow once moved to UTC
        raise ValidationError("Must be a time between the years 1900 and 9998.")


def Moment(**kwargs: Any) -> fields.AwareDateTime:  # noqa: N802
    """An ISO 8601 date and time with its offset (``2024-05-01T09:30:00+02:00``); kept in UTC."""
    message = "Must be an ISO 8601 date and time with its offset, such as '2024-05-01T09:30:00+02:00'."
    return fields.AwareDateTime(format="iso", validate=_plausible_time,
                                error_messages={"invalid": message, "invalid_awareness": message}, **kwargs)


#: The stamp fields that go together: a record's life as the registry that made it counted it.
LIFE = ("created_at", "updated_at", "version")


class StampInput(Schema):
    """The server-owned stamps of a record, as an export carries them: never API input, only what an import
    restores on a record it creates. Give ``created_at``, ``updated_at`` and ``version`` together or not at all."""

    created_at = Moment()
    updated_at = Moment()
    version = fields.Integer(strict=True, validate=validate.Range(min=1))

    @validates_schema(pass_original=True, skip_on_field_errors=False)  # named alongside a bad version, say
    def _life_whole_and_in_order(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        given = [name for name in LIFE if name in original]
        if given and len(given) < len(LIFE):
            missing_ = [name for name in LIFE if name not in original]
            raise ValidationError({name: [f"Give {', '.join(LIFE)} together, or none of them."] for name in missing_})
        if "created_at" in data and "updated_at" in data and data["updated_at"] < data["created_at"]:
            raise ValidationError("Cannot come before created_at.", "updated_at")

    @post_load
    def _in_utc(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {name: value.astimezone(UTC) if isinstance(value, datetime) else value for name, value in data.items()}


class PracticeStampInput(StampInput):
    """A practice's stamps: also when it was first published and, for a soft-deleted one, when it was deleted."""

    published_at = Moment(allow_none=True)
    deleted_at = Moment(allow_none=True)



def stamp_schema(model: type) -> type[Schema]:
    """The schema of the stamps a record of ``model`` carries."""
    return PracticeStampInput if model is Practice else StampInput


#: Every stamp field of any kind, in declaration order.
STAMP_FIELDS: tuple[str, ...] = tuple(PracticeStampInput().fields)


def utc_text(moment: datetime) -> str:
    """A stored time as exports write it: ISO 8601 in UTC, ``Z`` for its offset, as the API shows times."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")


@cache
def _stamp_names(model: type) -> tuple[str, ...]:
    return tuple(stamp_schema(model)().fields)


def stamp_of(record: Any) -> dict[str, Any]:
    """The stamps of a stored record, as an export writes them."""
    return {name: utc_text(value) if isinstance(value := getattr(record, name), datetime) else value
            for name in _stamp_names(type(record))}


def split_stamp(model: type, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``raw`` (a record as a file gives it) as its content, for its kind's schema, and its stamps.

    Only the stamp fields ``model`` has are taken out: a ``deleted_at`` on a network stays in the content,
    where the schema names it an unknown field.
    """
    names = stamp_schema(model)().fields
    return ({k: v for k, v in raw.items() if k not in names}, {k: v for k, v in raw.items() if k in names})

"""Shared pieces of the HTTP contract: fields, embedded references, the list envelope.

Multilingual text is ``registry.services.validation.Multilingual``, the one field the inputs and
the representations share.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import marshmallow as ma
from flask import g, request
from marshmallow import fields, validate
from werkzeug.datastructures import MultiDict

from registry.services.listing import Page
from registry.services.validation import Multilingual


class UtcDateTime(fields.DateTime):
    """Times in UTC with an explicit offset, whatever the engine returned (SQLite drops it)."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Schema(ma.Schema):
    """Output schemas keep the order fields are declared in."""

    class Meta:
        ordered = True


def record_fields() -> tuple[fields.Integer, UtcDateTime, UtcDateTime]:
    """What every editable record carries, declared last in each schema: version, created_at, updated_at."""
    return fields.Integer(metadata={"example": 1}), UtcDateTime(), UtcDateTime()


class LabelledSchema(Schema):
    """A labelled reference record (target groups, practice types: ``models.reference.LabelledReference``)."""

    slug = fields.String(metadata={"example": "women"})
    label = Multilingual()
    description = Multilingual(allow_none=True)
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class RefSchema(Schema):
    """Another record embedded by its public id and label."""

    slug = fields.String(metadata={"example": "housing"})
    label = Multilingual()


class LinksSchema(Schema):
    """Links to pages of the list, by page number; in a list that takes `cursor` (the practice list, but
    for its relevance order), `next` also carries the cursor resuming after this page's last row."""

    self = fields.String(metadata={"description": "This page, as asked"})
    first = fields.String()
    prev = fields.String(allow_none=True)
    next = fields.String(
        allow_none=True,
        metadata={"description": "The next page: its number (`page`) and, where the list takes one, the `cursor` "
                  "after this page's last row (with a cursor, the rows come from it and `page` only numbers "
                  "them); null on the last page"},
    )
    last = fields.String()


class FacetValueSchema(Schema):
    value = fields.String(metadata={"example": "housing"})
    count = fields.Integer(metadata={"example": 3})


class PageSchema(Schema):
    """The list envelope of design.md §3. Each list declares its own subclass naming its ``items``
    (a field redeclared keeps its place, so ``items`` stays first)."""

    items = fields.List(fields.Raw())
    total = fields.Integer(metadata={"description": "Items matching, over all pages", "example": 6})
    page = fields.Integer(metadata={"example": 1})
    page_size = fields.Integer(metadata={"example": 20})
    pages = fields.Integer(metadata={"description": "Number of pages (0 when nothing matches)", "example": 1})
    links = fields.Nested(LinksSchema)


#: Far past any real registry's last page, and small enough for every engine's OFFSET.
MAX_PAGE = 1_000_000


class UtcAwareDateTime(fields.AwareDateTime):
    """An ISO 8601 time with an offset, given back in UTC (a time UTC cannot hold is refused)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parsed.astimezone(UTC)
        except OverflowError as error:
            raise ma.ValidationError("Not a time the registry can compare with.") from error


class UpdatedSince(fields.String):
    """``updated_since``: a date, meaning its midnight UTC, or a date-time with an offset; in UTC.

    A date-time without an offset names no moment (whose midnight?), so it is refused, as is
    anything else.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs, metadata={
            "description": "Only records updated at or after this moment: a date (`2026-01-01`, meaning "
                           "its midnight UTC) or a date-time with an offset (`2026-01-01T09:30:00+01:00`). "
                           "A date-time without an offset is a 400. For a mirror that must miss nothing, "
                           "follow /api/v1/changes instead: a write that commits late can carry an "
                           "earlier `updated_at`.",
            "example": "2026-01-01",
        })

    #: How a date-time is read (a string field, because one ``format`` cannot say "date or date-time").
    _moment = UtcAwareDateTime()

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:  # type: ignore[override]
        value = super()._deserialize(value, attr, data, **kwargs)
        if DATE_ONLY.fullmatch(value):
            try:
                day = date.fromisoformat(value)
            except ValueError as error:
                raise ma.ValidationError("Not a date: give YYYY-MM-DD or a date-time with an offset.") from error
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        try:
            return self._moment.deserialize(value, attr, data)
        except ma.ValidationError as error:
            raise ma.ValidationError(
                f"{' '.join(error.messages)} Give a date (2026-01-01, its midnight UTC) or a date-time with an "
                "offset (2026-01-01T09:30:00+01:00)."
            ) from error


#: A calendar date alone, as ``updated_since`` takes it.
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class PageArgs(ma.Schema):
    """Pagination parameters every list endpoint takes."""

    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": f"Page number, from 1 (at most {MAX_PAGE})", "example": 1},
    )
    page_size = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=100),
        metadata={"description": "Items per page (1-100)", "example": 20},
    )


class ListArgs(PageArgs):
    """What every collection list takes: pagination and ``updated_since``."""

    updated_since = UpdatedSince()


def page_url(page: int, **changes: str | None) -> str:
    """This request's URL at ``page``, with each parameter of ``changes`` set (or removed when None)."""
    args = MultiDict(request.args)
    args.setlist("page", [str(page)])
    for name, value in changes.items():
        args.setlist(name, [] if value is None else [value])
    query = "&".join(f"{k}={v}" for k, v in _encoded(args))
    return f"{request.base_url}?{query}"


def _encoded(args: MultiDict) -> list[tuple[str, str]]:
    return [(quote(k, safe=""), quote(v, safe=",")) for k, values in args.lists() for v in values]


def envelope(found: Page, **extra: Any) -> dict[str, Any]:
    """The list envelope of one page; also leaves the RFC 8288 ``Link`` header for ``after_request``."""
    items, total, page, page_size = found.items, found.total, found.page, found.page_size
    pages = math.ceil(total / page_size)
    last = max(pages, 1)
    more = page < pages if found.more is None else found.more
    links = {
        "self": page_url(page),
        "first": page_url(1, cursor=None),
        "prev": page_url(min(page - 1, last), cursor=None) if page > 1 else None,
        "next": page_url(page + 1, cursor=found.next_cursor) if more else None,
        "last": page_url(last, cursor=None),
    }
    g.link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return {"items": items, "total": total, "page": page, "page_size": page_size, "pages": pages,
            "links": links, **extra}


class RevisionSchema(Schema):
    """One change to a record: who made it, when, and each changed field's old and new value."""

    id = fields.Integer(metadata={"example": 42})
    action = fields.String(metadata={"example": "update"})
    actor = fields.String(metadata={"description": "The token's name, or 'seed'", "example": "ana-uclg"})
    created_at = UtcDateTime()
    changes = fields.Dict(
        keys=fields.String(), values=fields.Dict(),
        metadata={"description": "Each changed field with its old and new value",
                  "example": {"start_year": {"old": None, "new": 2016}}},
    )
    note = fields.String(allow_none=True)


class RevisionPageSchema(PageSchema):
    items = fields.List(fields.Nested(RevisionSchema))

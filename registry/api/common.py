"""Shared pieces of the HTTP contract: fields, embedded references, the list envelope."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import g, request
from marshmallow import fields, validate
from werkzeug.datastructures import MultiDict

ML_EXAMPLE = {"fr": "Logement", "en": "Housing"}


class UtcDateTime(fields.DateTime):
    """Times in UTC with an explicit offset, whatever the engine returned (SQLite drops it)."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def Multilingual(**kwargs: Any) -> fields.Dict:  # noqa: N802 - reads as a field type
    metadata = {"description": "Text keyed by language code", "example": ML_EXAMPLE, **kwargs.pop("metadata", {})}
    return fields.Dict(keys=fields.String(), values=fields.String(), metadata=metadata, **kwargs)


class Schema(ma.Schema):
    """Output schemas keep the order fields are declared in."""

    class Meta:
        ordered = True


class RefSchema(Schema):
    """Another record embedded by its public id and label."""

    slug = fields.String(metadata={"example": "housing"})
    label = Multilingual()


class LinksSchema(Schema):
    self = fields.String(metadata={"description": "This page"})
    first = fields.String()
    prev = fields.String(allow_none=True)
    next = fields.String(allow_none=True)
    last = fields.String()


class FacetValueSchema(Schema):
    value = fields.String(metadata={"example": "housing"})
    count = fields.Integer(metadata={"example": 3})


def page_schema(item_schema: type[ma.Schema], name: str, **extra: fields.Field) -> type[ma.Schema]:
    """The list envelope of design.md §3 around ``item_schema`` (plus ``extra`` fields)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "total": fields.Integer(metadata={"description": "Items matching, over all pages", "example": 6}),
            "page": fields.Integer(metadata={"example": 1}),
            "page_size": fields.Integer(metadata={"example": 20}),
            "pages": fields.Integer(metadata={"description": "Number of pages (0 when nothing matches)", "example": 1}),
            "links": fields.Nested(LinksSchema),
            **extra,
        },
        name=name,
    )


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


def page_url(page: int) -> str:
    args = MultiDict(request.args)
    args.setlist("page", [str(page)])
    query = "&".join(f"{k}={v}" for k, v in _encoded(args))
    return f"{request.base_url}?{query}"


def _encoded(args: MultiDict) -> list[tuple[str, str]]:
    from urllib.parse import quote

    return [(quote(k, safe=""), quote(v, safe=",")) for k, values in args.lists() for v in values]


def envelope(items: list[Any], total: int, page: int, page_size: int, **extra: Any) -> dict[str, Any]:
    """The list envelope; also leaves the RFC 8288 ``Link`` header for ``after_request``."""
    pages = math.ceil(total / page_size)
    last = max(pages, 1)
    links = {
        "self": page_url(page),
        "first": page_url(1),
        "prev": page_url(min(page - 1, last)) if page > 1 else None,
        "next": page_url(page + 1) if page < pages else None,
        "last": page_url(last),
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


RevisionPageSchema = page_schema(RevisionSchema, "RevisionPage")

"""The changes feed's representation and parameters."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from marshmallow import fields, validate

from registry.api.common import Schema, UtcDateTime
from registry.api.smorest import API_PREFIX
from registry.models.feed import EVENTS
from registry.services.feed import FeedEvent

#: Each kind of record (``records.Kind.name``) by the name of its collection, the path under /api/v1.
COLLECTIONS = {
    "practice": "practices", "local_government": "local-governments", "network": "networks",
    "organisation": "organisations", "session": "sessions", "question": "questions", "right": "rights",
    "target_group": "target-groups", "practice_type": "practice-types", "gcm_objective": "gcm-objectives",
    "gcm_principle": "gcm-principles", "sdg_target": "sdg-targets",
}
#: Kinds shown inside other records, without an address of their own (people, in their sessions).
EMBEDDED = {"person": "people"}

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: The highest cursor an engine can compare with (a BIGINT).
MAX_CURSOR = 2**63 - 1


class ChangesArgs(ma.Schema):
    since = fields.Integer(
        load_default=0, strict=False, validate=validate.Range(min=0, max=MAX_CURSOR),
        metadata={"description": "The cursor of the last event already seen: the answer starts after it. "
                  "0 (the default) starts from the first event. A cursor the feed never gave is a 400.",
                  "example": 0},
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Events per answer (1-{MAX_LIMIT}, default {DEFAULT_LIMIT})", "example": 100},
    )


class ChangeSchema(Schema):
    """One event: a record created, changed, published, taken out of view, deleted or restored."""

    cursor = fields.Integer(metadata={"description": "This event's place in the feed: give it as `since` to "
                                      "continue after it", "example": 42})
    kind = fields.Method("_collection", metadata={
        "type": "string", "example": "practices",
        "description": "The record's collection (its path under /api/v1); 'people' for a person, shown "
                       "inside the sessions they took part in",
    })
    slug = fields.String(metadata={"example": "madrid-droits-humains-des-migrants"})
    event = fields.String(validate=validate.OneOf(EVENTS), metadata={
        "description": "created, updated, deleted, restored; for practices also published, unpublished "
                       "(back from published to draft or review) and archived. Without a token, a practice's "
                       "events are those of its public view: `published` when it appears, `updated` while "
                       "it stays published, `archived`, `unpublished` or `deleted` when it leaves.",
        "example": "published",
    })
    at = UtcDateTime(metadata={"description": "When the write was made (UTC)"})
    version = fields.Integer(allow_none=True, metadata={"description": "The record's version after the event "
                                                        "(its last one, for a record deleted)", "example": 3})
    url = fields.Method("_url", allow_none=True, metadata={
        "type": "string", "description": "Where the record can be read now that the event happened; null "
                                         "after a delete (and, without a token, after it left public view)",
        "example": "http://127.0.0.1:5000/api/v1/practices/madrid-droits-humains-des-migrants",
    })

    def _collection(self, change: FeedEvent) -> str:
        return COLLECTIONS.get(change.kind) or EMBEDDED.get(change.kind) or change.kind

    def _url(self, change: FeedEvent) -> str | None:
        collection = COLLECTIONS.get(change.kind)
        if collection is None or not change.readable:
            return None
        return f"{request.host_url}{API_PREFIX.lstrip('/')}/{collection}/{change.slug}"


class ChangesLinksSchema(Schema):
    self = fields.String(metadata={"description": "This answer"})
    next = fields.String(metadata={"description": "The events after this answer's last one: follow it to "
                                   "continue (again later, when `more` is false, to get what happens next)"})


class ChangesPageSchema(Schema):
    """A stretch of the feed, oldest first."""

    items = fields.List(fields.Nested(ChangeSchema))
    since = fields.Integer(metadata={"description": "The cursor this answer starts after", "example": 0})
    next_since = fields.Integer(metadata={"description": "The cursor to continue from: the last event's, or "
                                          "`since` when there is none", "example": 42})
    limit = fields.Integer(metadata={"example": 100})
    more = fields.Boolean(metadata={"description": "Whether more events were already waiting after this answer"})
    links = fields.Nested(ChangesLinksSchema)

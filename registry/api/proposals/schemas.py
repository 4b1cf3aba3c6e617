"""Proposed revisions of published practices: their representation, list, parameters and decisions."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from registry.api.common import PageArgs, PageSchema, Schema, UtcDateTime
from registry.models.editorial import PROPOSAL_STATUSES
from registry.services.validation import Multilingual


class ProposedPracticeSchema(Schema):
    """The practice a proposal changes, as it is now."""

    slug = fields.String(metadata={"example": "madrid-droits-humains-des-migrants"})
    title = Multilingual()
    status = fields.String(metadata={"example": "published"})
    version = fields.Integer(metadata={"description": "Its version now", "example": 4})


class ProposalSchema(Schema):
    """An editor's change to a published practice, waiting for an admin (or decided)."""

    id = fields.Integer(metadata={"example": 7})
    practice = fields.Nested(ProposedPracticeSchema)
    status = fields.String(metadata={"description": "pending, approved or rejected", "example": "pending"})
    changes = fields.Dict(
        keys=fields.String(), values=fields.Raw(allow_none=True),
        metadata={"description": "The PATCH body as validated: a JSON Merge Patch of the practice",
                  "example": {"title": {"es": "Acogida humanitaria municipal"}, "start_year": 2016}},
    )
    base_version = fields.Integer(metadata={"description": "The practice's version it was proposed on",
                                            "example": 3})
    proposed_by = fields.String(metadata={"description": "The proposing token's name", "example": "ana-uclg"})
    proposed_at = UtcDateTime(attribute="created_at")
    decided_by = fields.String(allow_none=True, metadata={"example": None})
    decided_at = UtcDateTime(allow_none=True)
    decision_note = fields.String(allow_none=True, metadata={"description": "The admin's note (a rejection's reason)"})


class ProposalPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProposalSchema))


class ProposalQueryArgs(PageArgs):
    """The proposal lists' parameters."""

    status = fields.List(
        fields.String(validate=validate.OneOf(PROPOSAL_STATUSES)),
        metadata={"description": "Only proposals in these statuses (repeat for any-of); all by default",
                  "example": ["pending"]},
    )


class ApprovalInput(ma.Schema):
    """An approval, with an optional note for the revision history."""

    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1500),
                         metadata={"description": "Kept in the update's revision note", "example": "Checked."})


class RejectionInput(ma.Schema):
    """A rejection: the note says why."""

    note = fields.String(required=True, validate=validate.Length(1, 2000),
                         metadata={"description": "Why the change is not made",
                                   "example": "The city's report does not support this figure."})

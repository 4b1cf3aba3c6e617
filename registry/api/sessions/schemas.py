"""The representations of sessions and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import PageSchema, Schema, record_fields
from registry.api.refs import LocalGovernmentRefSchema, NamedRefSchema, QuestionRefSchema
from registry.services.validation import Multilingual, SessionRecordInput, creation_variant, optional_variant


class PersonSchema(Schema):
    slug = fields.String(metadata={"example": "berta-cao-menendez"})
    name = fields.String(allow_none=True, metadata={"description": "Only where the source gives one"})
    role = Multilingual()
    local_government = fields.Nested(LocalGovernmentRefSchema, allow_none=True)
    organisation = fields.Nested(NamedRefSchema, allow_none=True)
    network = fields.Nested(NamedRefSchema, allow_none=True)


class ParticipantSchema(Schema):
    role = fields.String(metadata={"example": "speaker"})
    person = fields.Nested(PersonSchema)


class SessionSummarySchema(Schema):
    slug = fields.String(metadata={"example": "droits-humains-des-migrants"})
    title = Multilingual()
    original_language = fields.String(metadata={"example": "fr"})
    date = fields.Date(allow_none=True)
    start_time = fields.Time(allow_none=True, format="%H:%M")
    end_time = fields.Time(allow_none=True, format="%H:%M")
    version, created_at, updated_at = record_fields()


class SessionSchema(SessionSummarySchema):
    description = Multilingual(allow_none=True)
    provenance = fields.String(allow_none=True)
    participants = fields.List(fields.Nested(ParticipantSchema))
    questions = fields.List(fields.Nested(QuestionRefSchema))


class SessionSummaryPageSchema(PageSchema):
    items = fields.List(fields.Nested(SessionSummarySchema))


#: A new session: without a slug, one is made from its title.
SessionCreateInput = creation_variant(SessionRecordInput, "SessionCreateInput", "title")
#: A partial update: the fields given change, the others stay.
SessionUpdateInput = optional_variant(
    SessionRecordInput,
    "SessionUpdateInput",
    exclude=(
        "slug",
        "questions",
    ),
)

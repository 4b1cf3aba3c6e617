"""Representations of reference lists, sessions, questions, networks and organisations."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from registry.api.common import Multilingual, PageArgs, Schema, UtcDateTime
from registry.api.refs import LocalGovernmentRefSchema, NamedRefSchema, QuestionRefSchema, SessionRefSchema


def record_fields() -> tuple[fields.Integer, UtcDateTime, UtcDateTime]:
    """What every editable record carries, declared last in each schema: version, created_at, updated_at."""
    return fields.Integer(metadata={"example": 1}), UtcDateTime(), UtcDateTime()


class RightSchema(Schema):
    slug = fields.String(metadata={"example": "housing"})
    label = Multilingual()
    description = Multilingual(allow_none=True)
    original_language = fields.String(metadata={"example": "fr"})
    named_in_session = fields.Boolean(
        metadata={"description": "One of the five rights the session 'Droits humains des migrants' names"}
    )
    instruments = fields.List(fields.String(), metadata={"example": ["UDHR art. 25", "ICESCR art. 11"]})
    parent = fields.Pluck("RightSchema", "slug", allow_none=True)
    version, created_at, updated_at = record_fields()


class LabelledSchema(Schema):
    slug = fields.String(metadata={"example": "women"})
    label = Multilingual()
    description = Multilingual(allow_none=True)
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class TargetGroupSchema(LabelledSchema):
    pass


class PracticeTypeSchema(LabelledSchema):
    pass


class GcmObjectiveSchema(Schema):
    slug = fields.String(metadata={"example": "gcm-objective-15"})
    number = fields.Integer(metadata={"example": 15})
    short_title = Multilingual()
    title = Multilingual(metadata={"example": {"en": "Provide access to basic services for migrants"}})
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class GcmPrincipleSchema(Schema):
    slug = fields.String(metadata={"example": "human-rights"})
    number = fields.Integer(metadata={"example": 6})
    title = Multilingual()
    description = Multilingual(allow_none=True)
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class SdgTargetSchema(Schema):
    slug = fields.String(metadata={"example": "10-7"})
    code = fields.String(metadata={"example": "10.7"})
    goal = fields.Integer(metadata={"example": 10})
    title = Multilingual()
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class NetworkSchema(Schema):
    slug = fields.String(metadata={"example": "uclg-cisdp"})
    name = Multilingual()
    acronym = fields.String(allow_none=True, metadata={"example": "UCLG-CISDP"})
    website = fields.String(allow_none=True)
    original_language = fields.String(metadata={"example": "en"})
    parent = fields.Nested(NamedRefSchema, allow_none=True)
    version, created_at, updated_at = record_fields()


class OrganisationSchema(Schema):
    slug = fields.String()
    name = Multilingual()
    kind = fields.String(metadata={"example": "civil_society"})
    country = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    original_language = fields.String()
    version, created_at, updated_at = record_fields()


class QuestionSchema(Schema):
    slug = fields.String(metadata={"example": "droits-humains-des-migrants-q1"})
    number = fields.Integer(metadata={"example": 1})
    text = Multilingual(metadata={"example": {"fr": "Comment développer une approche de la gouvernance des "
                                                    "migrations fondée sur les droits ?"}})
    original_language = fields.String(metadata={"example": "fr"})
    session = fields.Nested(SessionRefSchema)
    version, created_at, updated_at = record_fields()


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


class QuestionArgsSchema(PageArgs):
    session = fields.List(
        fields.String(validate=validate.Length(1, 120)),
        metadata={"description": "Slug of a session; repeat for any-of", "example": ["droits-humains-des-migrants"]},
    )


__all__ = ["ma"]

"""The representations of questions and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields, validate

from registry.api.common import ListArgs, PageSchema, Schema, record_fields
from registry.api.refs import SessionRefSchema
from registry.services.validation import Multilingual, QuestionRecordInput, creation_variant, optional_variant


class QuestionSchema(Schema):
    slug = fields.String(metadata={"example": "droits-humains-des-migrants-q1"})
    number = fields.Integer(metadata={"example": 1})
    text = Multilingual(
        metadata={
            "example": {
                "fr": "Comment développer une approche de la gouvernance des migrations fondée sur les droits ?"
            }
        }
    )
    original_language = fields.String(metadata={"example": "fr"})
    session = fields.Nested(SessionRefSchema)
    version, created_at, updated_at = record_fields()


class QuestionArgsSchema(ListArgs):
    session = fields.List(
        fields.String(validate=validate.Length(1, 120)),
        metadata={"description": "Slug of a session; repeat for any-of", "example": ["droits-humains-des-migrants"]},
    )


class QuestionPageSchema(PageSchema):
    items = fields.List(fields.Nested(QuestionSchema))


#: A new question: without a slug, one is made from its session's slug and the number.
QuestionCreateInput = creation_variant(QuestionRecordInput, "QuestionCreateInput", "session's slug and the number")
#: A partial update: the fields given change, the others stay.
QuestionUpdateInput = optional_variant(QuestionRecordInput, "QuestionUpdateInput", exclude=("slug",))

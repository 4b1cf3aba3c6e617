"""The representations of SDG targets and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import PageSchema, Schema, record_fields
from registry.services.validation import Multilingual, SdgTargetInput, creation_variant, optional_variant


class SdgTargetSchema(Schema):
    slug = fields.String(metadata={"example": "10-7"})
    code = fields.String(metadata={"example": "10.7"})
    goal = fields.Integer(metadata={"example": 10})
    title = Multilingual()
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class SdgTargetPageSchema(PageSchema):
    items = fields.List(fields.Nested(SdgTargetSchema))


#: A new SDG target: without a slug, one is made from its code.
SdgTargetCreateInput = creation_variant(SdgTargetInput, "SdgTargetCreateInput", "code")
#: A partial update: the fields given change, the others stay.
SdgTargetUpdateInput = optional_variant(SdgTargetInput, "SdgTargetUpdateInput", exclude=("slug",))

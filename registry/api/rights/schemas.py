"""The representations of rights categories and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import PageSchema, Schema, record_fields
from registry.services.validation import Multilingual, RightInput, creation_variant, optional_variant


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


class RightPageSchema(PageSchema):
    items = fields.List(fields.Nested(RightSchema))


#: A new rights category: without a slug, one is made from its label.
RightCreateInput = creation_variant(RightInput, "RightCreateInput", "label")
#: A partial update: the fields given change, the others stay.
RightUpdateInput = optional_variant(RightInput, "RightUpdateInput", exclude=("slug",))

"""The representations of GCM guiding principles and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import PageSchema, Schema, record_fields
from registry.services.validation import GcmPrincipleInput, Multilingual, creation_variant, optional_variant


class GcmPrincipleSchema(Schema):
    slug = fields.String(metadata={"example": "human-rights"})
    number = fields.Integer(metadata={"example": 6})
    title = Multilingual()
    description = Multilingual(allow_none=True)
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class GcmPrinciplePageSchema(PageSchema):
    items = fields.List(fields.Nested(GcmPrincipleSchema))


#: A new GCM guiding principle: without a slug, one is made from its title.
GcmPrincipleCreateInput = creation_variant(GcmPrincipleInput, "GcmPrincipleCreateInput", "title")
#: A partial update: the fields given change, the others stay.
GcmPrincipleUpdateInput = optional_variant(GcmPrincipleInput, "GcmPrincipleUpdateInput", exclude=("slug",))

"""The representations of GCM objectives and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import PageSchema, Schema, record_fields
from registry.services.validation import GcmObjectiveInput, Multilingual, creation_variant, optional_variant


class GcmObjectiveSchema(Schema):
    slug = fields.String(metadata={"example": "gcm-objective-15"})
    number = fields.Integer(metadata={"example": 15})
    short_title = Multilingual()
    title = Multilingual(metadata={"example": {"en": "Provide access to basic services for migrants"}})
    original_language = fields.String(metadata={"example": "en"})
    version, created_at, updated_at = record_fields()


class GcmObjectivePageSchema(PageSchema):
    items = fields.List(fields.Nested(GcmObjectiveSchema))


#: A new GCM objective: without a slug, one is made from its number.
GcmObjectiveCreateInput = creation_variant(GcmObjectiveInput, "GcmObjectiveCreateInput", "number")
#: A partial update: the fields given change, the others stay.
GcmObjectiveUpdateInput = optional_variant(GcmObjectiveInput, "GcmObjectiveUpdateInput", exclude=("slug",))

"""The representations of organisations and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import PageSchema, Schema, record_fields
from registry.services.validation import Multilingual, OrganisationInput, creation_variant, optional_variant


class OrganisationSchema(Schema):
    slug = fields.String()
    name = Multilingual()
    kind = fields.String(metadata={"example": "civil_society"})
    country = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    original_language = fields.String()
    version, created_at, updated_at = record_fields()


class OrganisationPageSchema(PageSchema):
    items = fields.List(fields.Nested(OrganisationSchema))


#: A new organisation: without a slug, one is made from its name.
OrganisationCreateInput = creation_variant(OrganisationInput, "OrganisationCreateInput", "name")
#: A partial update: the fields given change, the others stay.
OrganisationUpdateInput = optional_variant(OrganisationInput, "OrganisationUpdateInput", exclude=("slug",))

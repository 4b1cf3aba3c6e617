"""The representations of networks and what staff send to write one."""

from __future__ import annotations

from marshmallow import fields

from registry.api.common import PageSchema, Schema, record_fields
from registry.api.refs import NamedRefSchema
from registry.services.validation import Multilingual, NetworkInput, creation_variant, optional_variant


class NetworkSchema(Schema):
    slug = fields.String(metadata={"example": "uclg-cisdp"})
    name = Multilingual()
    acronym = fields.String(allow_none=True, metadata={"example": "UCLG-CISDP"})
    website = fields.String(allow_none=True)
    original_language = fields.String(metadata={"example": "en"})
    parent = fields.Nested(NamedRefSchema, allow_none=True)
    version, created_at, updated_at = record_fields()


class NetworkPageSchema(PageSchema):
    items = fields.List(fields.Nested(NetworkSchema))


#: A new network: without a slug, one is made from its acronym, or else the name.
NetworkCreateInput = creation_variant(NetworkInput, "NetworkCreateInput", "acronym, or else the name")
#: A partial update: the fields given change, the others stay.
NetworkUpdateInput = optional_variant(NetworkInput, "NetworkUpdateInput", exclude=("slug",))

"""Practice representations and the query parameters of the practice list."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from registry.api.common import FacetValueSchema, ListArgs, PageSchema, RefSchema, Schema, UtcDateTime
from registry.api.practices.render import compile_dump
from registry.api.refs import (
    GcmObjectiveRefSchema,
    GcmPrincipleRefSchema,
    LocalGovernmentRefSchema,
    NamedRefSchema,
    QuestionRefSchema,
    SdgTargetRefSchema,
    SessionRefSchema,
)
from registry.models.practices import STATUSES
from registry.services.listing import MAX_CURSOR_LENGTH
from registry.services.practices import FILTERS, SORTS
from registry.services.validation import Multilingual, PracticeInput, creation_variant, optional_variant

TITLE_EXAMPLE = {"fr": "Contribution de Madrid à la session « Droits humains des migrants »"}


class PracticeSummarySchema(Schema):
    """A practice as it appears in lists."""

    slug = fields.String(metadata={"example": "madrid-droits-humains-des-migrants"})
    title = Multilingual(metadata={"example": TITLE_EXAMPLE})
    summary = Multilingual(allow_none=True)
    original_language = fields.String(metadata={"example": "fr"})
    status = fields.String(metadata={"example": "published"})
    documentation = fields.String(
        metadata={"description": "How far the practice is documented: 'stub' (only announced; staff see it, the"
                  " public list never holds one), 'partial' or 'complete'", "example": "complete"}
    )
    lead_local_government = fields.Nested(LocalGovernmentRefSchema)
    session = fields.Nested(SessionRefSchema, allow_none=True)
    start_year = fields.Integer(allow_none=True, metadata={"example": 2016})
    end_year = fields.Integer(allow_none=True)
    rights = fields.List(fields.Nested(RefSchema))
    target_groups = fields.List(fields.Nested(RefSchema))
    practice_types = fields.List(fields.Nested(RefSchema))
    gcm_objectives = fields.List(fields.Nested(GcmObjectiveRefSchema))
    sdg_targets = fields.List(fields.Nested(SdgTargetRefSchema))
    version = fields.Integer(metadata={"example": 1})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)


class SourceSchema(Schema):
    title = fields.String()
    url = fields.String(allow_none=True)
    kind = fields.String(metadata={"example": "concept_note"})
    date = fields.Date(allow_none=True)


class PracticeSchema(PracticeSummarySchema):
    """A practice with every relation embedded."""

    description = Multilingual(allow_none=True)
    partner_local_governments = fields.List(fields.Nested(LocalGovernmentRefSchema))
    questions = fields.List(fields.Nested(QuestionRefSchema))
    gcm_principles = fields.List(fields.Nested(GcmPrincipleRefSchema))
    partner_organisations = fields.List(fields.Nested(NamedRefSchema))
    funding_kinds = fields.List(fields.String())
    funding_independent_of_state = fields.Boolean(allow_none=True)
    outcomes = Multilingual(allow_none=True)
    evidence = Multilingual(allow_none=True)
    sources = fields.List(fields.Nested(SourceSchema))
    provenance = fields.String()


class PracticePageSchema(PageSchema):
    items = fields.List(fields.Nested(PracticeSummarySchema))
    facets = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(FacetValueSchema)),
        metadata={"description": "Counts per value under the current filters, only when 'facets' is given",
                  "example": {"country": [{"value": "ES", "count": 1}]}},
    )

#: The schemas' dumps as plain functions (``render.compile_dump``): what the reads answer with.
dump_practice = compile_dump(PracticeSchema)
dump_practice_page = compile_dump(PracticePageSchema)


_SLUG_LIST_EXAMPLES = {
    "local_government": "madrid", "country": "ES", "region": "419", "network": "uclg", "right": "housing",
    "question": "droits-humains-des-migrants-q5", "target_group": "women", "practice_type": "humanitarian-reception",
    "gcm_objective": "gcm-objective-15", "sdg_target": "10-7", "session": "droits-humains-des-migrants",
    "documentation": "complete",
}
_DESCRIPTIONS = {
    "local_government": "Slug of a local government leading or partnering in the practice",
    "country": "ISO 3166-1 alpha-2 code of the lead local government's country",
    "region": "UN M49 code of the lead local government's region, sub-region or intermediate region",
    "network": "Slug of a city network the lead local government belongs to",
    "right": "Slug of a rights category",
    "question": "Public id of a session question",
    "target_group": "Slug of a target group",
    "practice_type": "Slug of a practice type",
    "gcm_objective": "Slug of a Global Compact for Migration objective",
    "sdg_target": "Slug of a Sustainable Development Goal target",
    "session": "Slug of the session where the practice was presented",
    "documentation": "How far the practice is documented: stub, partial or complete (stubs are never published, so"
                     " only staff find any)",
}


def _filter_field(name: str) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(1, 120)),
        metadata={"description": f"{_DESCRIPTIONS[name]}. Repeat the parameter for any-of.",
                  "example": [_SLUG_LIST_EXAMPLES[name]]},
    )


class FacetList(fields.String):
    """A comma-separated list of filter names."""

    def _deserialize(self, value, attr, data, **kwargs):  # noqa: ANN001, ANN202
        names = [n.strip() for n in super()._deserialize(value, attr, data, **kwargs).split(",") if n.strip()]
        unknown = [n for n in names if n not in FILTERS]
        if unknown or not names:
            raise ma.ValidationError(f"Facets are taken from: {', '.join(FILTERS)}.")
        return list(dict.fromkeys(names))


class PracticeQueryArgsSchema(ListArgs):
    """The practice list's parameters: one per filter (``practices.FILTERS``), then search, sort,
    status and facets."""

    local_government = _filter_field("local_government")
    country = _filter_field("country")
    region = _filter_field("region")
    network = _filter_field("network")
    right = _filter_field("right")
    question = _filter_field("question")
    target_group = _filter_field("target_group")
    practice_type = _filter_field("practice_type")
    gcm_objective = _filter_field("gcm_objective")
    sdg_target = _filter_field("sdg_target")
    session = _filter_field("session")
    documentation = _filter_field("documentation")
    q = fields.String(
        validate=validate.Length(1, 500),
        metadata={"description": "Full-text search over every language of title, summary, description and the"
                  " local government's name; case- and accent-insensitive. `word*` is a prefix,"
                  " `\"two words\"` a phrase.", "example": "logement"},
    )
    sort = fields.String(
        validate=validate.OneOf(SORTS),
        metadata={"description": "Order of the list: '-updated_at' by default, 'relevance' when 'q' is given",
                  "example": "-updated_at"},
    )
    cursor = fields.String(
        validate=validate.Length(1, MAX_CURSOR_LENGTH),
        metadata={"description": "Resume after the last row of a page: the opaque `cursor` its `links.next` "
                  "carries. The rows then come from the cursor, not from an offset (as fast deep as on page 1,"
                  " and a practice inserted before the cursor's position shifts nothing); `page` only numbers"
                  " the answer. A cursor is tied to its `sort`: one from another sort, or not from a"
                  " `links.next`, is a 400, as is any cursor with the relevance order (page it by number).",
                  "example": "WyItdXBkYXRlZF9hdCIsIjIwMjYtMDEtMDFUMDk6MzA6MDAiLCJtYWRyaWQtZHJvaXRzIl0"},
    )
    status = fields.List(
        fields.String(validate=validate.OneOf(STATUSES)),
        metadata={"description": "Staff only (a token is needed): practices in these statuses. Without it, staff"
                  " see every status and everyone else only published practices.", "example": ["draft"]},
    )
    facets = FacetList(
        metadata={"description": f"Comma-separated filter names to count values of: {', '.join(FILTERS)}",
                  "example": "right,country"}
    )


class TransitionInputSchema(ma.Schema):
    """A move in the review workflow."""

    to = fields.String(
        required=True, validate=validate.OneOf(["draft", "in_review", "published", "archived"]),
        metadata={"description": "The status to move to", "example": "in_review"},
    )
    note = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000),
        metadata={"description": "Why; kept in the revision history", "example": "Ready for review."},
    )


#: A new practice, as a draft: without a slug, one is made from its title.
PracticeCreateInput = creation_variant(PracticeInput, "PracticeCreateInput", "title")
#: A partial update of a practice: the fields given change, the others stay.
PracticeUpdateInput = optional_variant(PracticeInput, "PracticeUpdateInput", exclude=("slug",))

"""How each kind of record maps from validated input onto its model (see ``records``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as DbSession

from registry.models import (
    GcmObjective,
    GcmPrinciple,
    LocalGovernment,
    Network,
    Organisation,
    Person,
    Practice,
    PracticeSource,
    PracticeType,
    Question,
    Right,
    SdgTarget,
    Session,
    SessionParticipant,
    TargetGroup,
)
from registry.models.base import utcnow
from registry.services import validation as v
from registry.services.editing import Editable, original_text
from registry.services.records import Kind, Ref, RefList, Rows, WriteResult, upsert
from registry.services.text import fold


def _fold_names(db: DbSession, local_government: LocalGovernment, data: dict[str, Any]) -> None:
    local_government.search_name = fold(" ".join(local_government.name.values()))


def _date_publication(db: DbSession, practice: Practice, data: dict[str, Any]) -> None:
    if practice.status == "published" and practice.published_at is None:
        practice.published_at = utcnow()


RIGHT = Kind(
    "right", Right, v.RightInput,
    ("slug", "label", "description", "original_language", "instruments", "named_in_session"),
    {"parent": Ref("parent", Right)},
)
TARGET_GROUP = Kind(
    "target_group", TargetGroup, v.TargetGroupInput, ("slug", "label", "description", "original_language")
)
PRACTICE_TYPE = Kind(
    "practice_type", PracticeType, v.PracticeTypeInput, ("slug", "label", "description", "original_language")
)
GCM_OBJECTIVE = Kind(
    "gcm_objective", GcmObjective, v.GcmObjectiveInput,
    ("slug", "number", "short_title", "title", "original_language"),
)
GCM_PRINCIPLE = Kind(
    "gcm_principle", GcmPrinciple, v.GcmPrincipleInput,
    ("slug", "number", "title", "description", "original_language"),
)
SDG_TARGET = Kind(
    "sdg_target", SdgTarget, v.SdgTargetInput, ("slug", "code", "goal", "title", "original_language")
)
NETWORK = Kind(
    "network", Network, v.NetworkInput, ("slug", "name", "acronym", "website", "original_language"),
    {"parent": Ref("parent", Network)},
)
LOCAL_GOVERNMENT = Kind(
    "local_government", LocalGovernment, v.LocalGovernmentInput,
    ("slug", "name", "original_language", "kind", "country", "m49_region", "m49_sub_region",
     "m49_intermediate_region", "latitude", "longitude", "website", "provenance"),
    {"parent": Ref("parent", LocalGovernment), "networks": RefList("networks", Network)},
    _fold_names,
)
ORGANISATION = Kind(
    "organisation", Organisation, v.OrganisationInput,
    ("slug", "name", "original_language", "kind", "country", "website"),
)
PERSON = Kind(
    "person", Person, v.PersonInput, ("slug", "name", "role", "original_language"),
    {
        "local_government": Ref("local_government", LocalGovernment),
        "organisation": Ref("organisation", Organisation),
        "network": Ref("network", Network),
    },
)
SESSION = Kind(
    "session", Session, v.SessionInput,
    ("slug", "title", "description", "original_language", "date", "start_time", "end_time", "provenance"),
    {
        "participants": Rows(
            "participants", SessionParticipant, ("person", "role"), {"person": Ref("person", Person)}
        ),
    },
)
QUESTION = Kind(
    "question", Question, v.QuestionRecordInput, ("slug", "number", "text", "original_language"),
    {"session": Ref("session", Session)},
)
_PRACTICE_COLUMNS = (
    "slug", "title", "summary", "description", "original_language", "start_year", "end_year",
    "funding_kinds", "funding_independent_of_state", "outcomes", "evidence", "provenance",
    "documentation_status",
)
_PRACTICE_RELATIONS = {
    "lead_local_government": Ref("lead_local_government", LocalGovernment),
    "partner_local_governments": RefList("partner_local_governments", LocalGovernment),
    "session": Ref("session", Session),
    "practice_types": RefList("practice_types", PracticeType),
    "rights": RefList("rights", Right),
    "questions": RefList("questions", Question),
    "target_groups": RefList("target_groups", TargetGroup),
    "gcm_objectives": RefList("gcm_objectives", GcmObjective),
    "gcm_principles": RefList("gcm_principles", GcmPrinciple),
    "sdg_targets": RefList("sdg_targets", SdgTarget),
    "partner_organisations": RefList("partner_organisations", Organisation),
    "sources": Rows("sources", PracticeSource, ("title", "url", "kind", "date")),
}
PRACTICE = Kind("practice", Practice, v.PracticeInput, _PRACTICE_COLUMNS, _PRACTICE_RELATIONS, _date_publication)
#: Seeds (and, later, imports) carry a practice's editorial status; API clients do not.
PRACTICE_WITH_STATUS = Kind(
    "practice", Practice, v.PracticeSeedInput, (*_PRACTICE_COLUMNS, "status"), _PRACTICE_RELATIONS,
    _date_publication,
)


def question_slug(session_slug: str, number: int) -> str:
    return f"{session_slug}-q{number}"


def write_session(db: DbSession, data: dict[str, Any], *, actor: str, token_id: int | None = None) -> list[WriteResult]:
    """Write a session, then each of the questions it puts (questions are records of their own)."""
    results = [upsert(db, SESSION, data, actor=actor, token_id=token_id)]
    for question in data.get("questions", []):
        record = {
            **question,
            "slug": question_slug(data["slug"], question["number"]),
            "session": data["slug"],
        }
        results.append(upsert(db, QUESTION, record, actor=actor, token_id=token_id))
    return results


# --- Editing through the API ------------------------------------------------------------------
# What each record is called and where a new one's slug comes from (see ``editing``). Practices
# are ``editorial.PRACTICES``; people are written by seeds and imports only.

def _sdg_slug(data: dict[str, Any]) -> str:
    return str(data.get("code", "")).replace(".", "-")


def _network_slug(data: dict[str, Any]) -> str:
    return data.get("acronym") or original_text("name")(data)


EDITABLE = {
    "rights": Editable(RIGHT, "rights category", original_text("label")),
    "target-groups": Editable(TARGET_GROUP, "target group", original_text("label")),
    "practice-types": Editable(PRACTICE_TYPE, "practice type", original_text("label")),
    "gcm-objectives": Editable(
        GCM_OBJECTIVE, "GCM objective", lambda d: f"gcm-objective-{d.get('number')}", unique=(("number",),)
    ),
    "gcm-principles": Editable(GCM_PRINCIPLE, "GCM guiding principle", original_text("title"), unique=(("number",),)),
    "sdg-targets": Editable(SDG_TARGET, "SDG target", _sdg_slug, unique=(("code",),)),
    "networks": Editable(NETWORK, "network", _network_slug),
    "local-governments": Editable(LOCAL_GOVERNMENT, "local government", original_text("name")),
    "organisations": Editable(ORGANISATION, "organisation", original_text("name")),
    "sessions": Editable(SESSION, "session", original_text("title")),
    "questions": Editable(
        QUESTION, "question", lambda d: question_slug(d["session"], d["number"]), unique=(("session", "number"),)
    ),
}

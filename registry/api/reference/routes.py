"""Reference lists, sessions, questions, networks and organisations: read by all, edited by admins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from registry.api.collections import Collection, make_blueprint, writes_for
from registry.api.reference import schemas as s
from registry.models import (
    GcmObjective,
    GcmPrinciple,
    Network,
    Organisation,
    Person,
    PracticeType,
    Question,
    Right,
    SdgTarget,
    Session,
    SessionParticipant,
    TargetGroup,
)
from registry.services import validation as v
from registry.services.kinds import EDITABLE
from registry.services.practice_queries import ids_by_slug


def _questions_of_sessions(statement: Select, args: dict[str, Any]) -> Select:
    slugs = args.get("session")
    if not slugs:
        return statement
    return statement.where(Question.session_id.in_(ids_by_slug(Session, "session", slugs)))


def _participants() -> list[Any]:
    person = selectinload(Session.participants).selectinload(SessionParticipant.person)
    return [
        person.selectinload(Person.local_government),
        person.selectinload(Person.network),
        person.selectinload(Person.organisation),
        selectinload(Session.questions),
    ]


def _admin(name: str, base: type[v.InputSchema], source: str, example: dict[str, Any],
           update_example: dict[str, Any], hidden: tuple[str, ...] = ()) -> Any:
    return writes_for(EDITABLE[name], base, role="admin", source=source, example=example,
                      update_example=update_example, hidden=hidden)


COLLECTIONS = [
    Collection(
        "rights", Right, s.RightSchema, "rights category", "rights categories",
        "Rights categories, with the international instruments that set them out.",
        lambda: (Right.slug,), list_options=lambda: [selectinload(Right.parent)],
        detail_options=lambda: [selectinload(Right.parent)],
        example="housing",
        writes=_admin("rights", v.RightInput, "label", {
            "label": {"en": "Right to health", "fr": "Droit à la santé"}, "original_language": "en",
            "instruments": ["ICESCR art. 12"],
        }, {"instruments": ["UDHR art. 25", "ICESCR art. 12"]}),
    ),
    Collection(
        "target-groups", TargetGroup, s.TargetGroupSchema, "target group", "target groups",
        "The groups of migrants a practice serves.", lambda: (TargetGroup.slug,),
        example="women",
        writes=_admin("target-groups", v.TargetGroupInput, "label", {
            "label": {"en": "Unaccompanied children", "fr": "Enfants non accompagnés"}, "original_language": "en",
        }, {"description": {"en": "Children who migrate without a parent or guardian."}}),
    ),
    Collection(
        "practice-types", PracticeType, s.PracticeTypeSchema, "practice type", "practice types",
        "The approaches a practice takes, as the session concept note describes them.", lambda: (PracticeType.slug,),
        example="humanitarian-reception",
        writes=_admin("practice-types", v.PracticeTypeInput, "label", {
            "label": {"en": "Legal counselling", "fr": "Conseil juridique"}, "original_language": "en",
        }, {"label": {"en": "Legal counselling", "es": "Asesoría jurídica"}}),
    ),
    Collection(
        "gcm-objectives", GcmObjective, s.GcmObjectiveSchema, "GCM objective", "GCM objectives",
        "The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration.",
        lambda: (GcmObjective.number,),
        example="gcm-objective-15",
        writes=_admin("gcm-objectives", v.GcmObjectiveInput, "number", {
            "number": 15, "short_title": {"en": "Access to basic services"},
            "title": {"en": "Provide access to basic services for migrants"}, "original_language": "en",
        }, {"short_title": {"en": "Basic services"}}),
    ),
    Collection(
        "gcm-principles", GcmPrinciple, s.GcmPrincipleSchema, "GCM guiding principle", "GCM guiding principles",
        "The ten guiding principles of the Global Compact for Migration.", lambda: (GcmPrinciple.number,),
        example="human-rights",
        writes=_admin("gcm-principles", v.GcmPrincipleInput, "title", {
            "number": 6, "title": {"en": "Human rights"}, "original_language": "en",
        }, {"title": {"en": "Human rights", "fr": "Droits de l'homme"}}),
    ),
    Collection(
        "sdg-targets", SdgTarget, s.SdgTargetSchema, "SDG target", "SDG targets",
        "Sustainable Development Goal targets relevant to migration.", lambda: (SdgTarget.goal, SdgTarget.code),
        example="10-7",
        writes=_admin("sdg-targets", v.SdgTargetInput, "code", {
            "code": "10.7", "goal": 10, "original_language": "en",
            "title": {"en": "Facilitate orderly, safe, regular and responsible migration and mobility of people, "
                           "including through the implementation of planned and well-managed migration policies"},
        }, {"title": {"en": "Safe, orderly and regular migration"}}),
    ),
    Collection(
        "networks", Network, s.NetworkSchema, "network", "networks",
        "City networks and their committees.", lambda: (Network.slug,),
        list_options=lambda: [selectinload(Network.parent)], detail_options=lambda: [selectinload(Network.parent)],
        example="uclg-cisdp",
        writes=_admin("networks", v.NetworkInput, "acronym, or else the name", {
            "name": {"en": "Example network (synthetic)"}, "acronym": "EXN", "parent": "uclg",
            "original_language": "en",
        }, {"website": "https://example.org/"}),
    ),
    Collection(
        "organisations", Organisation, s.OrganisationSchema, "organisation", "organisations",
        "Civil-society and other partners of local governments.", lambda: (Organisation.slug,),
        example="example-organisation",
        writes=_admin("organisations", v.OrganisationInput, "name", {
            "name": {"en": "Example legal aid association (synthetic)"}, "kind": "civil_society", "country": "ES",
            "original_language": "en",
        }, {"website": "https://example.org/"}),
    ),
    Collection(
        "sessions", Session, s.SessionSummarySchema, "session", "sessions",
        "Sessions where practices were presented, with their participants and questions.",
        lambda: (Session.date, Session.slug), detail_schema=s.SessionSchema, detail_options=_participants,
        example="droits-humains-des-migrants",
        writes=_admin("sessions", v.SessionRecordInput, "title", {
            "title": {"fr": "Séance d'exemple (synthétique)"}, "original_language": "fr", "date": "2018-11-15",
        }, {"description": {"fr": "Une séance fictive, pour l'exemple."}}, hidden=("questions",)),
    ),
    Collection(
        "questions", Question, s.QuestionSchema, "question", "questions",
        "The questions sessions put, in each session's own wording with translations.",
        lambda: (Question.session_id, Question.number), args_schema=s.QuestionArgsSchema,
        narrow=_questions_of_sessions, list_options=lambda: [selectinload(Question.session)],
        detail_options=lambda: [selectinload(Question.session)],
        example="droits-humains-des-migrants-q1",
        writes=_admin("questions", v.QuestionRecordInput, "session's slug and the number", {
            "session": "droits-humains-des-migrants", "number": 8, "original_language": "fr",
            "text": {"fr": "Une question d'exemple (synthétique) ?"},
        }, {"text": {"fr": "Une question d'exemple (synthétique), reformulée ?"}}),
    ),
]

BLUEPRINTS = [make_blueprint(c) for c in COLLECTIONS]

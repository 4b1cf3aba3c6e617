"""Reference lists, sessions, questions, networks and organisations: read-only collections."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from registry.api.collections import Collection, make_blueprint
from registry.api.reference import schemas as s
from registry.domain.practice_queries import ids_by_slug
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


COLLECTIONS = [
    Collection(
        "rights", Right, s.RightSchema, "rights category", "rights categories",
        "Rights categories, with the international instruments that set them out.",
        lambda: (Right.slug,), list_options=lambda: [selectinload(Right.parent)],
        detail_options=lambda: [selectinload(Right.parent)],
        example="housing",
    ),
    Collection(
        "target-groups", TargetGroup, s.TargetGroupSchema, "target group", "target groups",
        "The groups of migrants a practice serves.", lambda: (TargetGroup.slug,),
        example="women",
    ),
    Collection(
        "practice-types", PracticeType, s.PracticeTypeSchema, "practice type", "practice types",
        "The approaches a practice takes, as the session concept note describes them.", lambda: (PracticeType.slug,),
        example="humanitarian-reception",
    ),
    Collection(
        "gcm-objectives", GcmObjective, s.GcmObjectiveSchema, "GCM objective", "GCM objectives",
        "The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration.",
        lambda: (GcmObjective.number,),
        example="gcm-objective-15",
    ),
    Collection(
        "gcm-principles", GcmPrinciple, s.GcmPrincipleSchema, "GCM guiding principle", "GCM guiding principles",
        "The ten guiding principles of the Global Compact for Migration.", lambda: (GcmPrinciple.number,),
        example="human-rights",
    ),
    Collection(
        "sdg-targets", SdgTarget, s.SdgTargetSchema, "SDG target", "SDG targets",
        "Sustainable Development Goal targets relevant to migration.", lambda: (SdgTarget.goal, SdgTarget.code),
        example="10-7",
    ),
    Collection(
        "networks", Network, s.NetworkSchema, "network", "networks",
        "City networks and their committees.", lambda: (Network.slug,),
        list_options=lambda: [selectinload(Network.parent)], detail_options=lambda: [selectinload(Network.parent)],
        example="uclg-cisdp",
    ),
    Collection(
        "organisations", Organisation, s.OrganisationSchema, "organisation", "organisations",
        "Civil-society and other partners of local governments.", lambda: (Organisation.slug,),
        example="example-organisation",
    ),
    Collection(
        "sessions", Session, s.SessionSummarySchema, "session", "sessions",
        "Sessions where practices were presented, with their participants and questions.",
        lambda: (Session.date, Session.slug), detail_schema=s.SessionSchema, detail_options=_participants,
        example="droits-humains-des-migrants",
    ),
    Collection(
        "questions", Question, s.QuestionSchema, "question", "questions",
        "The questions sessions put, in each session's own wording with translations.",
        lambda: (Question.session_id, Question.number), args_schema=s.QuestionArgsSchema,
        narrow=_questions_of_sessions, list_options=lambda: [selectinload(Question.session)],
        detail_options=lambda: [selectinload(Question.session)],
        example="droits-humains-des-migrants-q1",
    ),
]

BLUEPRINTS = [make_blueprint(c) for c in COLLECTIONS]

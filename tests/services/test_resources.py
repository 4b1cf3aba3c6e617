"""The small resource modules: their lists' order, ``get_*`` and its ``NotFound``, a session's questions (no HTTP)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import Question, Revision, Session
from registry.services import (
    gcm_objectives,
    gcm_principles,
    networks,
    organisations,
    practice_types,
    questions,
    rights,
    sdg_targets,
    sessions,
    target_groups,
)
from registry.services.errors import NotFound, QueryError
from registry.services.networks import NETWORK
from registry.services.organisations import ORGANISATION
from registry.services.sessions import SESSION, write_session
from tests.factories import OrganisationInput, SessionInput
from tests.services.helpers import MISSING, SESSION_SLUG, count, revisions_of, write


def a_session(db: DbSession, slug: str, day: str | None = "2030-01-01", numbers: tuple[int, ...] = ()) -> list[Any]:
    data = SESSION.schema().load(SessionInput(
        slug=slug, date=day, questions=[{"number": n, "text": {"en": f"Synthetic question {n}?"},
                                         "original_language": "en"} for n in numbers]))
    return write_session(db, data, actor="synthetic-test")


def more_sessions(db: DbSession) -> None:
    for slug, day in [("synthetic-session-b", "2020-02-02"), ("synthetic-session-late", "2030-01-01"),
                      ("synthetic-session-a", "2020-02-02"), ("synthetic-session-early", "2010-05-05")]:
        a_session(db, slug, day, numbers=(2, 1))


def more_organisations(db: DbSession) -> None:
    for slug in ["synthetic-organisation-b", "synthetic-organisation-a"]:
        write(db, ORGANISATION, OrganisationInput(slug=slug))


def more_networks(db: DbSession) -> None:
    write(db, NETWORK, {"slug": "synthetic-network", "name": {"en": "Synthetic"}, "original_language": "en",
                        "parent": "uclg"})


@dataclass(frozen=True)
class Resource:
    list: Callable[[DbSession, int, int], Any]
    get: Callable[[DbSession, str], Any]
    model: type
    order: Callable[[Any], Any]  # the sort key the list promises
    noun: str
    add: Callable[[DbSession], None] | None = None

    def __str__(self) -> str:
        return self.noun.replace(" ", "-")


RESOURCES = [
    Resource(rights.list_rights, rights.get_right, rights.Right, lambda r: r.slug, "rights category"),
    Resource(target_groups.list_target_groups, target_groups.get_target_group, target_groups.TargetGroup,
             lambda r: r.slug, "target group"),
    Resource(practice_types.list_practice_types, practice_types.get_practice_type, practice_types.PracticeType,
             lambda r: r.slug, "practice type"),
    Resource(gcm_objectives.list_gcm_objectives, gcm_objectives.get_gcm_objective, gcm_objectives.GcmObjective,
             lambda r: r.number, "GCM objective"),
    Resource(gcm_principles.list_gcm_principles, gcm_principles.get_gcm_principle, gcm_principles.GcmPrinciple,
             lambda r: r.number, "GCM guiding principle"),
    Resource(sdg_targets.list_sdg_targets, sdg_targets.get_sdg_target, sdg_targets.SdgTarget,
             lambda r: (r.goal, r.code), "SDG target"),
    Resource(networks.list_networks, networks.get_network, networks.Network, lambda r: r.slug, "network",
             more_networks),
    Resource(organisations.list_organisations, organisations.get_organisation, organisations.Organisation,
             lambda r: r.slug, "organisation", more_organisations),
    Resource(sessions.list_sessions, sessions.get_session, Session, lambda r: (r.date, r.slug), "session",
             more_sessions),
    Resource(lambda db, page, size: questions.list_questions(db, None, page, size), questions.get_question, Question,
             lambda r: (r.session_id, r.number), "question", more_sessions),
]


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_the_list_holds_every_record_in_its_stated_order(db, resource):
    if resource.add:
        resource.add(db)
    page = resource.list(db, 1, 100)
    assert page.total == count(db, resource.model) == len(page.items) > 1
    assert page.items == sorted(page.items, key=resource.order)
    assert resource.list(db, 2, 1).items == page.items[1:2]


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_get_finds_a_record_by_slug_and_an_unknown_slug_is_not_found(db, resource):
    if resource.add:
        resource.add(db)
    some = resource.list(db, 1, 100).items[-1]
    assert resource.get(db, some.slug) is some
    with pytest.raises(NotFound) as missing:
        resource.get(db, MISSING)
    assert str(missing.value) == f"No {resource.noun} with slug {MISSING!r}."


def test_orders_that_differ_from_the_slugs(db):
    objectives = [o.slug for o in gcm_objectives.list_gcm_objectives(db, 1, 3).items]
    assert objectives == ["gcm-objective-1", "gcm-objective-2", "gcm-objective-3"]
    assert [t.code for t in sdg_targets.list_sdg_targets(db, 1, 4).items] == ["1.3", "3.8", "4.1", "5.2"]
    more_sessions(db)
    assert [s.slug for s in sessions.list_sessions(db, 1, 10).items] == [
        "synthetic-session-early", SESSION_SLUG, "synthetic-session-a", "synthetic-session-b",
        "synthetic-session-late"]


def test_get_network_and_get_session_load_what_their_detail_shows(db):
    more_networks(db)
    assert networks.get_network(db, "synthetic-network").parent.slug == "uclg"
    seeded = sessions.get_session(db, SESSION_SLUG)
    assert [q.number for q in seeded.questions] == [1, 2, 3, 4, 5, 6, 7]
    assert seeded.participants[0].person.slug == "mayor-of-upala"


# --- write_session and list_questions -------------------------------------------------------------------------


def test_write_session_writes_the_session_then_each_of_its_questions(db):
    results = a_session(db, "synthetic-session", numbers=(1, 2))
    assert [(type(r.record).__name__, r.record.slug, r.action) for r in results] == [
        ("Session", "synthetic-session", "created"), ("Question", "synthetic-session-q1", "created"),
        ("Question", "synthetic-session-q2", "created")]
    assert {q.session.slug for q in (r.record for r in results[1:])} == {"synthetic-session"}
    assert [r.action for r in revisions_of(db, "question", "synthetic-session-q2")] == ["create"]


def test_write_session_again_changes_only_what_differs(db):
    a_session(db, "synthetic-session", numbers=(1, 2))
    revisions = count(db, Revision)
    assert [r.action for r in a_session(db, "synthetic-session", numbers=(1, 2))] == ["unchanged"] * 3
    assert count(db, Revision) == revisions
    data = SESSION.schema().load(SessionInput(slug="synthetic-session", date="2030-01-01", questions=[
        {"number": 1, "text": {"en": "Synthetic question 1?"}, "original_language": "en"},
        {"number": 2, "text": {"en": "Synthetic question 2, reworded?"}, "original_language": "en"}]))
    assert [r.action for r in write_session(db, data, actor="synthetic-test")] == ["unchanged", "unchanged", "updated"]
    assert count(db, Revision) == revisions + 1


def test_list_questions_of_the_sessions_named_by_session_then_number(db):
    a_session(db, "synthetic-session-one", numbers=(3, 1, 2))
    a_session(db, "synthetic-session-two", numbers=(1,))
    one = questions.list_questions(db, ["synthetic-session-one"], 1, 50)
    assert (one.total, [q.slug for q in one.items]) == (
        3, ["synthetic-session-one-q1", "synthetic-session-one-q2", "synthetic-session-one-q3"])
    both = questions.list_questions(db, ["synthetic-session-two", "synthetic-session-one"], 1, 50)
    assert [q.slug for q in both.items] == [*(q.slug for q in one.items), "synthetic-session-two-q1"]
    assert questions.list_questions(db, [], 1, 50).total == questions.list_questions(db, None, 1, 50).total == 11


def test_list_questions_of_an_unknown_session_is_a_query_error_naming_session(db):
    with pytest.raises(QueryError) as refused:
        questions.list_questions(db, [SESSION_SLUG, MISSING], 1, 50)
    assert refused.value.errors == {"session": [f"Unknown session: {MISSING!r}."]}
    assert db.scalar(select(Session.id).where(Session.slug == MISSING)) is None

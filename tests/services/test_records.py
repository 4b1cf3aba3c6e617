"""``services.records``: kinds derived from their schemas, snapshots, ``upsert`` and ``savepoint`` (no HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from registry.extensions import db as flask_db
from registry.models import Organisation, Revision, Right
from registry.services import seeding
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.organisations import ORGANISATION
from registry.services.practices import PRACTICE, PRACTICE_WITH_STATUS
from registry.services.questions import QUESTION
from registry.services.records import Kind, RecordError, SlugTaken, savepoint, snapshot, upsert
from registry.services.rights import RIGHT
from registry.services.sessions import SESSION
from tests.factories import OrganisationInput, SessionInput
from tests.services.helpers import MISSING, count, practice, revisions_of, write

#: Every kind: those the seeds write, the API's practice (without a status) and the question.
KINDS = [*(kind for _, kind, _ in seeding.SEED_FILES), PRACTICE, QUESTION]


# --- Kind -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.schema.__name__)
def test_a_kinds_columns_are_its_schema_fields_less_relations_and_those_stored_apart(kind: Kind):
    schema_fields = list(kind.schema().fields)
    assert list(kind.columns) == [n for n in schema_fields if n not in kind.relations and n not in kind.stored_apart]
    assert kind.fields == (*kind.columns, *kind.relations)
    table = kind.model.__table__
    assert [name for name in kind.columns if name not in table.c] == []  # every column is one of the model's
    relationships = inspect(kind.model).relationships
    assert [r.attr for r in kind.relations.values() if r.attr not in relationships] == []


def test_relations_and_fields_stored_apart_are_no_columns():
    assert set(RIGHT.columns) == {"original_language", "slug", "label", "description", "instruments",
                                  "named_in_session"}
    assert "parent" in RIGHT.fields and "parent" not in RIGHT.columns
    assert "questions" not in SESSION.fields  # a session's questions are records of their own
    assert "participants" in SESSION.fields and "participants" not in SESSION.columns
    assert PRACTICE_WITH_STATUS.columns == (*PRACTICE.columns, "status")
    assert {"rights", "sources", "lead_local_government"} <= set(PRACTICE.fields) - set(PRACTICE.columns)


# --- snapshot -------------------------------------------------------------------------------------------------


def test_snapshot_gives_every_field_in_its_json_form(db):
    record = practice(db, slug="synthetic-practice", rights=["work", "food"], session="droits-humains-des-migrants",
                      sources=[{"title": "Synthetic report", "kind": "report", "date": "2020-05-17"}])
    db.flush()
    taken = snapshot(PRACTICE_WITH_STATUS, record)
    assert list(taken) == list(PRACTICE_WITH_STATUS.fields)
    assert taken["rights"] == ["food", "work"]  # slugs, sorted: an unordered list compares alike
    assert taken["lead_local_government"] == "madrid" and taken["session"] == "droits-humains-des-migrants"
    assert taken["sources"] == [{"title": "Synthetic report", "url": None, "kind": "report", "date": "2020-05-17"}]
    assert taken["status"] == "published" and taken["partner_local_governments"] == []


def test_snapshot_names_a_parent_by_slug_and_gives_dates_and_times_as_text(db):
    write(db, RIGHT, {"slug": "synthetic-child", "label": {"en": "Synthetic"}, "original_language": "en",
                      "parent": "housing"})
    child = db.scalar(select(Right).where(Right.slug == "synthetic-child"))
    assert snapshot(RIGHT, child)["parent"] == "housing"
    session = write(db, SESSION, SessionInput(slug="synthetic-session", date="2030-02-03", start_time="09:30:00"))
    taken = snapshot(SESSION, session)
    assert (taken["date"], taken["start_time"], taken["end_time"]) == ("2030-02-03", "09:30:00", None)


# --- upsert ---------------------------------------------------------------------------------------------------


def test_upsert_of_the_same_data_twice_writes_once(db):
    data = ORGANISATION.schema().load(OrganisationInput(slug="synthetic-organisation"))
    first = upsert(db, ORGANISATION, data, actor="synthetic-test")
    assert first.action == "created"
    assert first.changes["name"] == {"old": None, "new": data["name"]}
    second = upsert(db, ORGANISATION, dict(data), actor="synthetic-test")
    assert (second.action, second.changes, second.record) == ("unchanged", {}, first.record)
    assert first.record.version == 1
    assert [r.action for r in revisions_of(db, "organisation", "synthetic-organisation")] == ["create"]


def test_upsert_compares_lists_of_slugs_whatever_their_order(db):
    record = practice(db, slug="synthetic-practice", rights=["work", "food"])
    data = PRACTICE_WITH_STATUS.schema().load({**snapshot(PRACTICE_WITH_STATUS, record), "rights": ["food", "work"]})
    assert upsert(db, PRACTICE_WITH_STATUS, data, actor="synthetic-test").action == "unchanged"


def test_upsert_writes_only_what_differs_among_the_keys_given(db):
    write(db, RIGHT, {"slug": "synthetic-right", "label": {"en": "Synthetic"}, "original_language": "en",
                      "instruments": ["Synthetic A"]})
    partial = {"slug": "synthetic-right", "label": {"en": "Synthetic renamed"}}
    result = upsert(db, RIGHT, partial, actor="synthetic-test")
    assert result.action == "updated"
    assert result.changes == {"label": {"old": {"en": "Synthetic"}, "new": {"en": "Synthetic renamed"}}}
    assert (result.record.version, result.record.instruments) == (2, ["Synthetic A"])
    assert [r.action for r in revisions_of(db, "right", "synthetic-right")] == ["create", "update"]


def test_upsert_of_a_new_record_under_a_taken_slug_raises_slug_taken_and_writes_nothing(db):
    revisions = count(db, Revision)
    data = RIGHT.schema().load({"slug": "housing", "label": {"en": "Synthetic housing"}, "original_language": "en"})
    with pytest.raises(SlugTaken):
        upsert(db, RIGHT, data, actor="synthetic-test", new=True)
    housing = db.scalar(select(Right).where(Right.slug == "housing"))
    assert (housing.version, housing.label["en"], count(db, Revision)) == (1, "Right to housing", revisions)


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        (RIGHT, {"slug": "synthetic-right", "label": {"en": "Synthetic"}, "original_language": "en",
                 "parent": MISSING}, "parent"),
        (LOCAL_GOVERNMENT, {"slug": "synthetic-town", "name": {"en": "Synthetic"}, "original_language": "en",
                            "kind": "municipality", "country": "FR", "m49_region": "150", "m49_sub_region": "155",
                            "networks": ["uclg", MISSING]}, "networks"),
        (SESSION, {**SessionInput(slug="synthetic-session"), "participants": [
            {"person": "mayor-of-upala", "role": "speaker"}, {"person": MISSING, "role": "speaker"}]},
         "participants[1].person"),
    ],
    ids=["ref", "ref-list", "rows"],
)
def test_upsert_naming_an_unknown_record_raises_record_error_naming_the_field(db, kind, data, field):
    with pytest.raises(RecordError) as refused:
        upsert(db, kind, kind.schema().load(data), actor="synthetic-test")
    assert refused.value.errors == {field: [f"Unknown slug: {MISSING!r}."]}


# --- savepoint: on a database of its own, where commits and rollbacks are real --------------------------------


def organisation(slug: str) -> None:
    write(flask_db.session, ORGANISATION, OrganisationInput(slug=slug))


def stored_organisations(app) -> list[str]:
    """What another connection sees: only what was committed."""
    with app.app_context(), flask_db.engine.connect() as connection:
        return list(connection.scalars(select(Organisation.slug).order_by(Organisation.slug)))


def test_a_rolled_back_savepoint_undoes_only_its_own_writes(own_app):
    app = own_app
    with app.app_context():
        organisation("synthetic-before")
        with pytest.raises(RuntimeError), savepoint(flask_db.session):
            organisation("synthetic-inside")
            raise RuntimeError("synthetic failure inside the savepoint")
        organisation("synthetic-after")
        assert stored_organisations(app) == []  # nothing is committed yet
        flask_db.session.commit()
    assert stored_organisations(app) == ["synthetic-after", "synthetic-before"]


@pytest.mark.parametrize("earlier", [False, True], ids=["savepoint-first", "after-a-write"])
def test_a_released_savepoint_leaves_the_decision_to_the_callers_transaction(own_app, earlier):
    app = own_app
    """On SQLite too: a SAVEPOINT opened before any write must not open (and its release commit) a transaction."""
    with app.app_context():
        if earlier:
            organisation("synthetic-before")
        with savepoint(flask_db.session):
            organisation("synthetic-inside")
        assert stored_organisations(app) == []
        flask_db.session.rollback()
        assert count(flask_db.session, Organisation) == 0
        assert count(flask_db.session, Revision) == 0
        with savepoint(flask_db.session):
            organisation("synthetic-inside")
        flask_db.session.commit()
    assert stored_organisations(app) == ["synthetic-inside"]

"""Exports keep every record's stamps (created_at, updated_at, version; a practice's published_at and deleted_at)
and an import restores them on the records it creates; on records it finds, identical rows change nothing and
others are a new version. Bad stamps are named by row and field, and nothing is written.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from registry.extensions import db
from registry.models import Practice, Question, Revision
from registry.models.base import as_utc
from registry.services.practices import PRACTICE_WITH_STATUS
from tests.exchange_data import csv_row, csv_text, export, import_into, practice, reference_data, rejected
from tests.factories import PracticeInput, create_practice, utc, write

EDITED = "synthetic-edited-twice"
ARCHIVED = "synthetic-archived-late"
MOMENT = "Must be an ISO 8601 date and time with its offset, such as '2024-05-01T09:30:00+02:00'."
STAMPED = {"created_at": "2021-03-01T08:00:00+00:00", "updated_at": "2022-04-02T09:30:00.250000+00:00",
           "version": 4}


def stamps_of(app: Flask, slug: str) -> dict[str, Any]:
    """A stored practice's stamps and status, times in UTC."""
    with app.app_context():
        p = db.session.scalar(select(Practice).where(Practice.slug == slug))
        found = {"version": p.version, "status": p.status, "created_at": as_utc(p.created_at),
                 "updated_at": as_utc(p.updated_at),
                 "published_at": p.published_at and as_utc(p.published_at),
                 "deleted_at": p.deleted_at and as_utc(p.deleted_at)}
        db.session.remove()
    return found


def add_history(app: Flask) -> None:
    """A practice edited twice (version 3) and one published, then archived later (synthetic test data)."""
    with app.app_context():
        edited = PracticeInput(slug=EDITED, status="draft")
        create_practice(**edited, at=utc(2021, 1, 5, 10, 0))
        create_practice(**{**edited, "title": {"en": "Synthetic, edited once"}}, at=utc(2021, 6, 1, 12, 0))
        create_practice(**{**edited, "title": {"en": "Synthetic, edited twice"}}, at=utc(2022, 2, 3, 14, 30, 15))
        archived = PracticeInput(slug=ARCHIVED, status="published")
        create_practice(**archived, at=utc(2020, 5, 1, 9, 0))
        write(PRACTICE_WITH_STATUS, {**archived, "status": "archived"}, at=utc(2023, 7, 8, 16, 45))
        db.session.commit()
        db.session.remove()


EXPECTED = {
    EDITED: {"version": 3, "status": "draft", "created_at": utc(2021, 1, 5, 10, 0),
             "updated_at": utc(2022, 2, 3, 14, 30, 15), "published_at": None, "deleted_at": None},
    ARCHIVED: {"version": 2, "status": "archived", "created_at": utc(2020, 5, 1, 9, 0),
               "updated_at": utc(2023, 7, 8, 16, 45), "published_at": utc(2020, 5, 1, 9, 0), "deleted_at": None},
}


def test_edited_and_archived_practices_keep_their_stamps_through_json(seeded_app: Flask, empty_app: Flask) -> None:
    add_history(seeded_app)
    assert {slug: stamps_of(seeded_app, slug) for slug in EXPECTED} == EXPECTED
    first = export(seeded_app, "json")
    import_into(empty_app, first, "json")
    assert {slug: stamps_of(empty_app, slug) for slug in EXPECTED} == EXPECTED
    assert export(empty_app, "json") == first


def test_edited_and_archived_practices_keep_their_stamps_through_csv(seeded_app: Flask, empty_app: Flask) -> None:
    add_history(seeded_app)
    import_into(empty_app, reference_data(export(seeded_app, "json")), "json")
    first = export(seeded_app, "csv")
    import_into(empty_app, first, "csv")
    assert {slug: stamps_of(empty_app, slug) for slug in EXPECTED} == EXPECTED
    assert export(empty_app, "csv") == first


def exported_practice(app: Flask, slug: str) -> dict[str, Any]:
    (found,) = (p for p in json.loads(export(app, "json"))["records"]["practices"] if p["slug"] == slug)
    return found


def v2(**records: list[dict[str, Any]]) -> str:
    return json.dumps({"format": "practice-registry", "version": 2, "records": records})


def test_a_record_the_registry_has_keeps_its_own_stamps(seeded_app: Flask) -> None:
    add_history(seeded_app)
    row = exported_practice(seeded_app, EDITED)
    other_registry = {**row, "version": 9, "created_at": "2000-01-01T00:00:00+00:00",
                      "updated_at": "2000-01-02T00:00:00+00:00"}
    report = import_into(seeded_app, v2(practices=[other_registry]), "json")
    assert report.by_kind()["practices"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert stamps_of(seeded_app, EDITED) == EXPECTED[EDITED]  # same content: nothing changes, stamps neither

    retitled = {**other_registry, "title": {"en": "Synthetic, edited by an import"}}
    before = datetime.now().astimezone()
    report = import_into(seeded_app, v2(practices=[retitled]), "json")
    assert report.by_kind()["practices"] == {"created": 0, "updated": 1, "unchanged": 0}
    after = stamps_of(seeded_app, EDITED)
    assert after["version"] == 4 and after["created_at"] == EXPECTED[EDITED]["created_at"]
    assert after["updated_at"] >= before  # a new version of this registry's record, stamped now
    with seeded_app.app_context():
        newest = db.session.scalars(select(Revision).where(Revision.entity_slug == EDITED)
                                    .order_by(Revision.id.desc())).first()
        assert (newest.actor, newest.action, list(newest.changes)) == ("test-import", "update", ["title"])
        db.session.remove()


def test_times_with_an_offset_are_kept_in_utc(seeded_app: Flask, empty_app: Flask) -> None:
    row = practice(status="published", created_at="2024-05-01T09:30:00+02:00",
                   updated_at="2024-05-01T08:00:00Z", version=2, published_at="2024-05-01T09:45:00-03:00")
    import_into(seeded_app, v2(practices=[row]), "json")
    exported = exported_practice(seeded_app, "synthetic-imported")
    assert {k: exported[k] for k in ("created_at", "updated_at", "version", "published_at", "deleted_at")} == {
        "created_at": "2024-05-01T07:30:00Z", "updated_at": "2024-05-01T08:00:00Z", "version": 2,
        "published_at": "2024-05-01T12:45:00Z", "deleted_at": None,
    }


def test_a_file_without_stamps_still_imports(seeded_app: Flask) -> None:
    """Version 1 files (and hand-written ones) carry no stamps: the records are new, stamped now."""
    content = json.dumps({"format": "practice-registry", "version": 1, "records": {"practices": [practice()]}})
    before = datetime.now().astimezone()
    import_into(seeded_app, content, "json")
    stamps = stamps_of(seeded_app, "synthetic-imported")
    assert stamps["version"] == 1 and stamps["created_at"] == stamps["updated_at"] >= before


def test_a_deleted_practice_travels_deleted(seeded_app: Flask, empty_app: Flask) -> None:
    deleted = practice(deleted_at="2024-03-01T00:00:00+00:00", **STAMPED)
    import_into(seeded_app, v2(practices=[deleted]), "json")
    assert stamps_of(seeded_app, "synthetic-imported")["deleted_at"] == utc(2024, 3, 1)
    client = seeded_app.test_client()
    assert client.get("/api/v1/practices/synthetic-imported").status_code == 404
    assert import_into(seeded_app, v2(practices=[deleted]), "json").total("unchanged") == 1
    live = {**deleted, "deleted_at": None}
    assert rejected(seeded_app, v2(practices=[live]), "json") == [
        ("practices[0]", "slug", "A deleted practice has this slug; restore it first.")
    ]


def test_an_import_deletes_nothing(seeded_app: Flask) -> None:
    add_history(seeded_app)
    row = {**exported_practice(seeded_app, EDITED), "deleted_at": "2024-03-01T00:00:00+00:00"}
    [(where, field, message)] = rejected(seeded_app, v2(practices=[row]), "json")
    assert (where, field) == ("practices[0]", "deleted_at") and "import deletes nothing" in message


def session_with(question_stamp: dict[str, Any]) -> dict[str, Any]:
    return {"slug": "synthetic-session", "original_language": "en", "title": {"en": "Synthetic session"},
            "questions": [{"number": 1, "original_language": "en", "text": {"en": "Synthetic?"}, **question_stamp}]}


BAD_STAMPS = [
    pytest.param({"practices": [practice(**{**STAMPED, "created_at": "2021-03-01T08:00:00"})]},
                 [("practices[0]", "created_at", MOMENT)], id="no-offset"),
    pytest.param({"practices": [practice(**{**STAMPED, "updated_at": "yesterday"})]},
                 [("practices[0]", "updated_at", MOMENT)], id="not-a-time"),
    pytest.param({"practices": [practice(**{**STAMPED, "version": 0})]},
                 [("practices[0]", "version", "Must be greater than or equal to 1.")], id="version-0"),
    pytest.param({"practices": [practice(**{**STAMPED, "version": "3"})]},
                 [("practices[0]", "version", "Not a valid integer.")], id="version-text"),
    pytest.param({"practices": [practice(**{**STAMPED, "updated_at": "2021-03-01T07:59:59+00:00"})]},
                 [("practices[0]", "updated_at", "Cannot come before created_at.")], id="updated-before-created"),
    pytest.param({"practices": [practice(created_at=STAMPED["created_at"])]},
                 [("practices[0]", "updated_at", "Give created_at, updated_at, version together, or none of them."),
                  ("practices[0]", "version", "Give created_at, updated_at, version together, or none of them.")],
                 id="life-in-part"),
    pytest.param({"practices": [practice(**{**STAMPED, "created_at": "1850-01-01T00:00:00+00:00"})]},
                 [("practices[0]", "created_at", "Must be a time between the years 1900 and 9998.")], id="too-old"),
    pytest.param({"networks": [{"slug": "synthetic-network", "original_language": "en", "name": {"en": "N"},
                                "published_at": None, **STAMPED}]},
                 [("networks[0]", "published_at", "Unknown field.")], id="practice-stamp-on-a-network"),
    pytest.param({"sessions": [session_with({**STAMPED, "version": -1})]},
                 [("sessions[0]", "questions[0].version", "Must be greater than or equal to 1.")], id="question"),
    pytest.param({"practices": [practice("synthetic-a", **{**STAMPED, "version": 0}),
                                practice("synthetic-b", title={"fr": "x"}, **STAMPED)]},
                 [("practices[0]", "version", "Must be greater than or equal to 1."),
                  ("practices[1]", "title", "Must include text in the original language 'en'.")], id="all-at-once"),
]


@pytest.mark.parametrize(("records", "expected"), BAD_STAMPS)
def test_bad_stamps_are_named_and_nothing_is_written(
    seeded_app: Flask, records: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    content = v2(**{**records, "practices": [*records.get("practices", []), practice("synthetic-fine", **STAMPED)]})
    assert rejected(seeded_app, content, "json") == expected


def test_a_bad_stamp_cell_names_its_line(seeded_app: Flask) -> None:
    header = ["slug", "original_language", "title.en", "lead_local_government", "provenance", "created_at",
              "updated_at", "version"]
    good = csv_row("synthetic-a")[:2] + ["Synthetic a", "madrid", "Synthetic test data", *STAMPED.values()]
    bad = ["synthetic-b", "en", "Synthetic b", "madrid", "Synthetic test data", STAMPED["created_at"],
           "2021-03-01", "x"]
    content = csv_text([str(cell) for cell in good], bad, header=header)
    assert rejected(seeded_app, content, "csv") == [
        ("3", "updated_at", MOMENT), ("3", "version", "Not a valid integer."),
    ]


def test_questions_keep_their_stamps(seeded_app: Flask, empty_app: Flask) -> None:
    import_into(seeded_app, v2(sessions=[session_with(STAMPED)]), "json")
    with seeded_app.app_context():
        stored = db.session.scalar(select(Question).where(Question.slug == "synthetic-session-q1"))
        assert (stored.version, as_utc(stored.created_at)) == (4, utc(2021, 3, 1, 8))
        db.session.remove()

"""Seeding is safe at any time: a record someone changed since the seed wrote it is left as it is."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from registry.extensions import db
from registry.models import Practice, Question, Revision, Right
from registry.services.rights import RIGHT
from registry.services.seeding import changed_by_others
from tests.helpers import API, Staff, dump

PIKINE = "pikine-droits-humains-des-migrants"
QUESTION = "droits-humains-des-migrants-q1"
RIGHT_SLUG = "food"  # a seeded right no seeded record refers to, so an admin may delete it


def seed(app: Flask):
    return app.test_cli_runner().invoke(args=["seed"])


def revisions_of(app: Flask, slug: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Revision.actor, Revision.action).where(Revision.entity_slug == slug).order_by(Revision.id)
        ).all()
        return [tuple(row) for row in rows]


def etag(client, path: str, staff: Staff) -> str:
    return client.get(f"{API}/{path}", headers=staff.admin).headers["ETag"]


def edit(client, staff: Staff, path: str, changes: dict) -> None:
    answer = client.patch(f"{API}/{path}", json=changes, headers={**staff.admin, "If-Match": etag(client, path, staff)})
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_staff_edits_survive_seeding_again(seeded_app: Flask) -> None:
    staff, client = Staff(seeded_app), seeded_app.test_client()
    edit(client, staff, f"practices/{PIKINE}", {"start_year": 2016, "funding_kinds": ["municipal budget"]})
    edit(client, staff, f"questions/{QUESTION}", {"text": {"fr": "Une question reformulée (synthétique) ?"}})
    history = revisions_of(seeded_app, PIKINE)
    before = dump(seeded_app)

    result = seed(seeded_app)

    assert result.exit_code == 0, result.output
    assert "Kept: 2 edited by staff" in result.output, result.output
    assert f"practice {PIKINE!r}" in result.output and f"question {QUESTION!r}" in result.output
    assert dump(seeded_app) == before, "the seed wrote over staff work"
    assert revisions_of(seeded_app, PIKINE) == history, "the seed added a revision"
    with seeded_app.app_context():
        practice = db.session.scalar(select(Practice).where(Practice.slug == PIKINE))
        assert (practice.start_year, practice.funding_kinds) == (2016, ["municipal budget"])
        question = db.session.scalar(select(Question).where(Question.slug == QUESTION))
        assert question.text["fr"] == "Une question reformulée (synthétique) ?"


def test_a_seeded_record_staff_deleted_is_not_brought_back(seeded_app: Flask) -> None:
    staff, client = Staff(seeded_app), seeded_app.test_client()
    path = f"rights/{RIGHT_SLUG}"
    answer = client.delete(f"{API}/{path}", headers={**staff.admin, "If-Match": etag(client, path, staff)})
    assert answer.status_code == 204, answer.get_data(as_text=True)

    result = seed(seeded_app)

    assert result.exit_code == 0, result.output
    assert f"Kept: 1 edited by staff, left as they are (right {RIGHT_SLUG!r})" in result.output, result.output
    with seeded_app.app_context():
        assert db.session.scalar(select(Right.id).where(Right.slug == RIGHT_SLUG)) is None
    assert [action for _, action in revisions_of(seeded_app, RIGHT_SLUG)] == ["create", "delete"]


def test_a_record_only_the_seed_wrote_is_the_seeds_to_update(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        assert not changed_by_others(db.session, RIGHT, RIGHT_SLUG)
    result = seed(seeded_app)
    assert result.exit_code == 0, result.output
    assert "Nothing to change" in result.output and "Kept" not in result.output

"""The demo practices: synthetic in every record, the same every time, and kept out of real registries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from registry.extensions import db as flask_db
from registry.models import Practice, Revision
from registry.services import demo
from registry.services.demo import DemoRefused, load_demo
from registry.services.practices import PRACTICE
from registry.services.tokens import Actor
from registry.services.writes import create, update

STAFF = Actor(name="synthetic-staff", role="admin", token_id=None)


def demo_practices(db: DbSession) -> list[Practice]:
    return list(db.scalars(select(Practice).where(Practice.slug.startswith(demo.SLUG_PREFIX)).order_by(Practice.slug)))


def test_every_demo_practice_says_it_is_synthetic_and_is_public(db: DbSession) -> None:
    report = load_demo(db, 12)
    assert (report.created, report.updated, report.unchanged) == (12, 0, 0)
    practices = demo_practices(db)
    assert [p.slug for p in practices] == [f"synthetic-demo-{n:05d}" for n in range(1, 13)]
    for practice in practices:
        assert practice.provenance == demo.PROVENANCE and "Synthetic" in practice.provenance
        assert set(practice.title) == set(demo.LANGUAGES)
        for language, text in practice.title.items():
            assert text.startswith(demo.TITLE_PREFIX[language].split(" {n}")[0]), (language, text)
        assert (practice.status, practice.published_at is not None) == ("published", True)
        assert practice.documentation in {"partial", "complete"}
        assert practice.rights and practice.target_groups and practice.practice_types and practice.gcm_objectives
    # Drawn over the reference data: several cities, rights and languages, not one repeated record.
    assert len({p.lead_local_government_id for p in practices}) > 2
    assert len({p.original_language for p in practices}) > 1
    actors = set(db.scalars(select(Revision.actor).where(Revision.entity_slug.startswith(demo.SLUG_PREFIX))))
    assert actors == {demo.ACTOR}


def test_the_same_count_gives_the_same_practices_and_changes_nothing(db: DbSession) -> None:
    load_demo(db, 5)
    first = {p.slug: (p.title, p.rights and [r.slug for r in p.rights], p.version) for p in demo_practices(db)}
    report = load_demo(db, 7)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 5)
    again = {p.slug: (p.title, [r.slug for r in p.rights], p.version) for p in demo_practices(db)}
    assert {slug: again[slug] for slug in first} == first


def test_untouched_seed_stubs_are_not_real_content_but_edited_ones_are(db: DbSession) -> None:
    assert demo.real_practices(db) == (0, [])
    pikine = db.scalar(select(Practice).where(Practice.slug == "pikine-droits-humains-des-migrants"))
    update(db, PRACTICE, pikine, {"start_year": 2016}, STAFF)
    assert demo.real_practices(db) == (1, ["pikine-droits-humains-des-migrants"])
    with pytest.raises(DemoRefused) as refused:
        load_demo(db, 3)
    assert "force" in refused.value.errors and "pikine-droits-humains-des-migrants" in str(refused.value)
    assert demo_practices(db) == []


def test_a_registry_with_real_practices_is_refused_unless_forced(db: DbSession) -> None:
    create(db, PRACTICE, {
        "title": {"en": "A staff practice (synthetic test data)"}, "original_language": "en",
        "lead_local_government": "madrid", "provenance": "Synthetic test data standing for a real record.",
    }, STAFF)
    with pytest.raises(DemoRefused):
        load_demo(db, 2)
    assert demo_practices(db) == []
    assert load_demo(db, 2, force=True).created == 2


def test_a_registry_without_reference_data_is_refused(empty_app) -> None:  # noqa: ANN001
    with empty_app.app_context():
        with pytest.raises(DemoRefused) as refused:
            load_demo(flask_db.session, 2)
        assert "seed" in str(refused.value)
        assert flask_db.session.scalar(select(func.count()).select_from(Practice)) == 0


def test_a_count_below_one_is_refused(db: DbSession) -> None:
    with pytest.raises(DemoRefused) as refused:
        load_demo(db, 0)
    assert refused.value.errors == {"count": ["Must be at least 1."]}


def test_demo_practices_are_the_generated_ones_as_a_sequence(db: DbSession) -> None:
    pools = demo.reference_pools(db)
    practices = demo.DemoPractices(pools, 5)
    assert len(practices) == 5
    assert list(practices) == [demo.synthetic_practice(pools, n) for n in range(1, 6)]
    assert practices[-1] == practices[4] and practices[1:3] == [practices[1], practices[2]]
    with pytest.raises(IndexError):
        practices[5]


def test_bulk_demo_creates_only_the_missing_practices(db: DbSession) -> None:
    assert load_demo(db, 5, bulk=True).created == 5
    report = load_demo(db, 7, bulk=True)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 5)
    assert [p.slug for p in demo_practices(db)] == [f"synthetic-demo-{n:05d}" for n in range(1, 8)]
    assert {p.status for p in demo_practices(db)} == {"published"}

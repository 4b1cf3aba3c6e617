"""``services.feed``: the event each write leaves, as staff and as the public see it, and the cursor (no HTTP).

Every write here goes through the write engine (``writes``, ``records.upsert``), as the API's and the seeds' do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from registry.models import Change, Right
from registry.services import feed, rights, writes
from registry.services.errors import QueryError
from registry.services.practices import PRACTICE, PRACTICE_WITH_STATUS
from registry.services.rights import RIGHT
from tests.factories import PracticeInput
from tests.services.helpers import ADMIN, EDITOR, T1, T2, write


def last_position(db: DbSession) -> int:
    return db.scalar(select(func.max(Change.position))) or 0


def events(db: DbSession, since: int, *, staff: bool) -> list[tuple[str, str, str, int | None]]:
    return [(e.kind, e.slug, e.event, e.version) for e in feed.read_feed(db, since, 1000, staff=staff).items]


def new_draft(db: DbSession, slug: str) -> object:
    fields = {name: value for name, value in PracticeInput(slug=slug).items() if name != "status"}
    data = PRACTICE.schema().load(fields)
    return writes.create(db, PRACTICE, data, EDITOR)


def test_a_practice_seen_by_staff_and_by_the_public_through_its_workflow(db):
    start = last_position(db)
    practice = new_draft(db, "synthetic-feed-workflow")
    writes.update(db, PRACTICE, practice, {"start_year": 2015}, EDITOR)
    writes.transition(db, practice, "in_review", None, EDITOR)
    writes.transition(db, practice, "published", None, ADMIN)
    writes.update(db, PRACTICE, practice, {"start_year": 2016}, EDITOR)
    writes.transition(db, practice, "archived", None, ADMIN)
    db.commit()
    slug = "synthetic-feed-workflow"
    assert events(db, start, staff=True) == [
        ("practice", slug, "created", 1), ("practice", slug, "updated", 2), ("practice", slug, "updated", 3),
        ("practice", slug, "published", 4), ("practice", slug, "updated", 5), ("practice", slug, "archived", 6),
    ]
    # The draft's life is nobody else's business: the public learns of it when it appears.
    assert events(db, start, staff=False) == [
        ("practice", slug, "published", 4), ("practice", slug, "updated", 5), ("practice", slug, "archived", 6),
    ]


def test_a_soft_delete_and_a_restore_of_a_published_practice_are_public_events(db):
    start = last_position(db)
    practice = write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-feed-deleted", status="published"))
    writes.delete_practice(db, practice, ADMIN)
    writes.restore_practice(db, practice, ADMIN)
    db.commit()
    expected = [("synthetic-feed-deleted", "published"), ("synthetic-feed-deleted", "deleted"),
                ("synthetic-feed-deleted", "restored")]
    assert [(slug, event) for _, slug, event, _ in events(db, start, staff=False)] == expected
    # Staff see the same writes by what they did: a create (in published status), a delete, a restore.
    assert [event for *_, event, _ in events(db, start, staff=True)] == ["created", "deleted", "restored"]


def test_a_draft_deleted_leaves_nothing_public(db):
    start = last_position(db)
    practice = new_draft(db, "synthetic-feed-draft-deleted")
    writes.delete_practice(db, practice, ADMIN)
    db.commit()
    assert events(db, start, staff=False) == []
    assert [event for *_, event, _ in events(db, start, staff=True)] == ["created", "deleted"]


def test_a_seed_taking_a_published_practice_back_to_draft_unpublishes_it(db):
    start = last_position(db)
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-feed-unpublished", status="published"))
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-feed-unpublished", status="draft"))
    db.commit()
    assert [event for *_, event, _ in events(db, start, staff=False)] == ["published", "unpublished"]
    assert [event for *_, event, _ in events(db, start, staff=True)] == ["created", "unpublished"]


def test_every_other_kind_is_public_from_creation_to_deletion(db):
    start = last_position(db)
    right = writes.create(db, RIGHT, RIGHT.schema().load(
        {"slug": "synthetic-feed-right", "label": {"en": "Synthetic right (test data)"}, "original_language": "en"}
    ), ADMIN)
    writes.update(db, RIGHT, right, {"instruments": ["Synthetic instrument"]}, ADMIN)
    writes.remove(db, RIGHT, right, ADMIN)
    db.commit()
    expected = [("right", "synthetic-feed-right", "created", 1), ("right", "synthetic-feed-right", "updated", 2),
                ("right", "synthetic-feed-right", "deleted", 2)]
    assert events(db, start, staff=True) == events(db, start, staff=False) == expected


def test_positions_are_given_at_commit_after_every_committed_one(db):
    before = last_position(db)
    new_draft(db, "synthetic-feed-first")
    new_draft(db, "synthetic-feed-second")
    db.flush()
    unplaced = list(db.scalars(select(Change).where(Change.slug.like("synthetic-feed-%"))))
    assert [c.position for c in unplaced] == [None, None], "no position before the commit"
    assert events(db, before, staff=True) == [], "and so not in the feed yet"
    db.commit()
    placed = db.execute(select(Change.slug, Change.position).where(Change.slug.like("synthetic-feed-%"))
                        .order_by(Change.position)).all()
    assert placed == [("synthetic-feed-first", before + 1), ("synthetic-feed-second", before + 2)]


def test_a_write_undone_with_its_savepoint_leaves_no_event(db):
    start = last_position(db)
    with pytest.raises(QueryError), db.begin_nested():
        new_draft(db, "synthetic-feed-undone")
        raise QueryError({"synthetic": ["undo"]})
    db.commit()
    assert events(db, start, staff=True) == []


def test_reading_from_a_cursor_pages_without_gap_or_repeat(db):
    start = last_position(db)
    for n in range(5):
        new_draft(db, f"synthetic-feed-page-{n}")
    db.commit()
    seen: list[str] = []
    since = start
    for expected_more in (True, True, False):
        page = feed.read_feed(db, since, 2, staff=True)
        assert page.more is expected_more
        assert page.since == since
        seen += [event.slug for event in page.items]
        since = page.last
    assert seen == [f"synthetic-feed-page-{n}" for n in range(5)]
    empty = feed.read_feed(db, since, 2, staff=True)
    assert (empty.items, empty.last, empty.more) == ([], since, False), "at the end, wait where you are"


def test_public_pages_skip_what_the_public_does_not_see_and_their_cursor_still_works(db):
    start = last_position(db)
    new_draft(db, "synthetic-feed-hidden")
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-feed-shown", status="published"))
    db.commit()
    page = feed.read_feed(db, start, 1, staff=False)
    assert [e.slug for e in page.items] == ["synthetic-feed-shown"]
    assert page.last == start + 2 and page.more is False
    assert feed.read_feed(db, page.last, 1, staff=False).items == []


def test_a_cursor_the_feed_never_gave_names_since(db):
    with pytest.raises(QueryError) as refused:
        feed.read_feed(db, last_position(db) + 1000, 10, staff=True)
    assert list(refused.value.errors) == ["since"]
    assert feed.read_feed(db, 0, 1, staff=False).items[0].cursor == 1, "0 starts from the first event"


def test_url_readability_follows_what_the_reader_can_get(db):
    start = last_position(db)
    practice = write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-feed-readable", status="published"))
    writes.transition(db, practice, "archived", None, ADMIN)
    db.commit()
    public = feed.read_feed(db, start, 10, staff=False).items
    staff = feed.read_feed(db, start, 10, staff=True).items
    assert [(e.event, e.readable) for e in public] == [("published", True), ("archived", False)]
    assert [(e.event, e.readable) for e in staff] == [("created", True), ("archived", True)]


# --- updated_since, one condition for every list ----------------------------------------------------------


def test_updated_since_keeps_the_records_updated_at_or_after_it(db):
    write(db, RIGHT, {"slug": "synthetic-since-early", "label": {"en": "Synthetic early (test data)"},
                      "original_language": "en"}, at=T1)
    write(db, RIGHT, {"slug": "synthetic-since-late", "label": {"en": "Synthetic late (test data)"},
                      "original_language": "en"}, at=T2)
    db.flush()
    found = {r.slug for r in rights.list_rights(db, 1, 100, T2).items}
    assert {"synthetic-since-late"} <= found and "synthetic-since-early" not in found
    assert {r.slug for r in rights.list_rights(db, 1, 100, T2 + timedelta(microseconds=1)).items} \
        .isdisjoint({"synthetic-since-late", "synthetic-since-early"})
    everything = rights.list_rights(db, 1, 100, None).total
    assert everything == db.scalar(select(func.count()).select_from(Right))
    assert rights.list_rights(db, 1, 100, datetime(1970, 1, 1, tzinfo=UTC)).total == everything

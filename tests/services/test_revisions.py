"""``services.revisions``: a record's history, newest first, outliving its delete (no HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session as DbSession

from registry.services import revisions, writes
from registry.services.errors import NotFound
from registry.services.practice_types import PRACTICE_TYPE
from registry.services.target_groups import TARGET_GROUP
from tests.services.helpers import ADMIN, EDITOR, MISSING, T1, T2, T3, clock, practice

SLUG = "synthetic-group"


def group(db: DbSession, label: str = "Synthetic group", kind=TARGET_GROUP):
    data = kind.schema().load({"slug": SLUG, "label": {"en": label}, "original_language": "en"})
    return writes.create(db, kind, data, ADMIN)


def history(page) -> list[tuple[str, dict]]:
    return [(r.action, r.changes.get("label", {}).get("new")) for r in page.items]


def test_history_is_newest_first(db):
    with clock(T1):
        record = group(db)
    with clock(T3):
        writes.update(db, TARGET_GROUP, record, {"label": {"en": "Synthetic third"}}, EDITOR)
    with clock(T2):  # written later, dated earlier: the date orders, not the writing
        writes.update(db, TARGET_GROUP, record, {"label": {"en": "Synthetic second"}}, EDITOR)
    page = revisions.of_slug(db, TARGET_GROUP, SLUG, 1, 10)
    assert page.total == 3
    assert history(page) == [("update", {"en": "Synthetic third"}), ("update", {"en": "Synthetic second"}),
                             ("create", {"en": "Synthetic group"})]


def test_revisions_of_the_same_moment_come_newest_written_first(db):
    with clock(T1):
        record = group(db)
        for n in (2, 3):
            writes.update(db, TARGET_GROUP, record, {"label": {"en": f"Synthetic {n}"}}, EDITOR)
    page = revisions.of_slug(db, TARGET_GROUP, SLUG, 1, 10)
    assert [label for _, label in history(page)] == [{"en": "Synthetic 3"}, {"en": "Synthetic 2"},
                                                     {"en": "Synthetic group"}]


def test_history_pages(db):
    record = group(db)
    for n in (2, 3):
        writes.update(db, TARGET_GROUP, record, {"label": {"en": f"Synthetic {n}"}}, EDITOR)
    second = revisions.of_slug(db, TARGET_GROUP, SLUG, 2, 1)
    assert (second.total, second.page, second.page_size) == (3, 2, 1)
    assert history(second) == [("update", {"en": "Synthetic 2"})]


def test_a_slug_without_history_is_not_found(db):
    with pytest.raises(NotFound) as missing:
        revisions.of_slug(db, TARGET_GROUP, MISSING, 1, 10)
    assert str(missing.value) == f"No target group with slug {MISSING!r} has any history."
    # Each kind has its own history: the same slug of another kind has none of it.
    group(db)
    with pytest.raises(NotFound):
        revisions.of_slug(db, PRACTICE_TYPE, SLUG, 1, 10)


def test_history_survives_a_delete_and_continues_when_the_slug_is_made_again(db):
    writes.remove(db, TARGET_GROUP, group(db), ADMIN)
    assert [a for a, _ in history(revisions.of_slug(db, TARGET_GROUP, SLUG, 1, 10))] == ["delete", "create"]
    group(db, "Synthetic again")
    assert history(revisions.of_slug(db, TARGET_GROUP, SLUG, 1, 10)) == [
        ("create", {"en": "Synthetic again"}), ("delete", None), ("create", {"en": "Synthetic group"})]


def test_kinds_sharing_a_slug_keep_their_own_history(db):
    group(db, "Synthetic target group")
    group(db, "Synthetic practice type", kind=PRACTICE_TYPE)
    assert history(revisions.of_slug(db, PRACTICE_TYPE, SLUG, 1, 10)) == [("create", {"en": "Synthetic practice type"})]


def test_a_practices_history_is_read_by_its_id_newest_first_through_deletes(db):
    record = practice(db, slug="synthetic-practice", status="draft", at=T1)
    with clock(T2):
        writes.transition(db, record, "in_review", "Synthetic note", EDITOR)
    with clock(T3):
        writes.delete_practice(db, record, ADMIN)
    page = revisions.of_practice(db, record, 1, 10)
    assert [(r.action, r.note) for r in page.items] == [("delete", None), ("status_change", "Synthetic note"),
                                                         ("create", None)]
    assert {r.entity_id for r in page.items} == {record.id}

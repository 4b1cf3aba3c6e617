"""``services.read_cache``: a list's total and facets are remembered until a write becomes visible (no HTTP).

Every write here goes through the write engine, as the API's do; what another connection commits is
seen on a database of the test's own, with real commits.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session as DbSession

from registry.extensions import db as flask_db
from registry.services import practice_reads
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.practices import PRACTICE_WITH_STATUS, PracticeQuery, find_practices
from registry.services.read_cache import READS, ReadCache, data_version
from tests.factories import LocalGovernmentInput, PracticeInput
from tests.services.helpers import write

EVERYTHING = PracticeQuery(statuses=("draft", "in_review", "published", "archived"))


def counts_run(db: DbSession, query: PracticeQuery, facets: list[str] | None = None) -> tuple[int, int]:
    """The total ``find_practices`` answers, and how many COUNT statements it ran to answer it."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, ARG001
        seen.append(statement)

    engine = db.get_bind().engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        total = find_practices(db, query, 1, 10, facets).page.total
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return total, sum(1 for statement in seen if statement.lower().startswith("select count("))


def test_a_total_is_counted_once_per_data_version(db):
    first, counted = counts_run(db, EVERYTHING)
    assert counted == 1
    assert counts_run(db, EVERYTHING) == (first, 0)
    # Another filter set is another entry.
    assert counts_run(db, PracticeQuery(statuses=("draft",)))[1] == 1


def test_a_write_in_the_reading_transaction_is_counted(db):
    before, _ = counts_run(db, EVERYTHING)
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-cache-new", status="draft"))
    assert counts_run(db, EVERYTHING) == (before + 1, 1)


def test_a_publication_moves_the_public_total_and_its_facets(db):
    public = PracticeQuery()
    before, _ = counts_run(db, public, ["right"])
    facets_before = find_practices(db, public, 1, 10, ["right"]).facets
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-cache-published", rights=["housing"]))
    db.commit()
    assert counts_run(db, public, ["right"]) == (before + 1, 1)
    facets = find_practices(db, public, 1, 10, ["right"]).facets
    housing = {value["value"]: value["count"] for value in facets["right"]}["housing"]
    assert housing == {value["value"]: value["count"] for value in facets_before["right"]}.get("housing", 0) + 1


def test_a_rolled_back_write_and_its_successor_are_different_versions(db):
    outer = db.begin_nested()
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-cache-gone", status="draft"))
    gone = data_version(db)
    outer.rollback()
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-cache-kept", status="draft"))
    assert data_version(db) != gone


def test_what_another_connection_commits_is_counted(own_seeded_app: Flask) -> None:
    with own_seeded_app.app_context():
        reader = flask_db.session
        before, _ = counts_run(reader, EVERYTHING)
        reader.rollback()  # the request ends
        with DbSession(flask_db.engine) as writer:
            write(writer, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-cache-other", status="draft"))
            writer.commit()
        assert counts_run(reader, EVERYTHING) == (before + 1, 1)
        reader.rollback()


def test_the_oldest_entries_go_first(db):
    cache = ReadCache(size=2)
    computed: list[str] = []

    def value(key: str) -> str:
        computed.append(key)
        return key

    for key in ("a", "b", "a", "c", "a", "b"):
        assert cache.get(db, key, lambda key=key: value(key)) == key
    # "b" was the least recently used when "c" came in; "a" stayed.
    assert computed == ["a", "b", "c", "b"]
    assert (cache.hits, cache.misses) == (2, 4)


def test_the_process_cache_is_the_one_the_reads_use(db):
    counts_run(db, EVERYTHING)
    # The count, which ids make the page, and the catalog of the records the page refers to.
    assert (READS.hits, READS.misses) == (0, 3)
    counts_run(db, EVERYTHING)
    assert (READS.hits, READS.misses) == (3, 3)


def test_a_page_refers_to_a_record_written_after_the_catalog_was_read(db):
    practice = write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-cache-town-linked", status="draft"))
    version = data_version(db)
    practice_reads.catalog(db, practice_reads.LIST, version=version)
    town = write(db, LOCAL_GOVERNMENT, LocalGovernmentInput(slug="synthetic-cache-town"))
    practice.lead_local_government_id = town.id
    db.flush()
    # Under the version read before the town was written, the remembered catalog lacks it: read afresh.
    (read,) = practice_reads.with_relations(db, [practice], practice_reads.LIST, version=version)
    assert read.lead_local_government.slug == "synthetic-cache-town"


def slugs(db: DbSession, query: PracticeQuery) -> list[str]:
    return [practice.slug for practice in find_practices(db, query, 1, 5).page.items]


def test_which_practices_make_a_page_moves_with_a_write(db):
    newest = PracticeQuery(statuses=EVERYTHING.statuses, sort="-updated_at")
    searched = PracticeQuery(statuses=EVERYTHING.statuses, q="zanzibarique")
    before, found_before = slugs(db, newest), slugs(db, searched)
    assert slugs(db, newest) == before and READS.hits >= 2  # remembered
    write(db, PRACTICE_WITH_STATUS, PracticeInput(slug="synthetic-cache-newest", status="draft",
                                                  title={"en": "Synthetic zanzibarique practice"}))
    assert slugs(db, newest) == ["synthetic-cache-newest", *before[:4]]
    assert slugs(db, searched) == [*found_before, "synthetic-cache-newest"]

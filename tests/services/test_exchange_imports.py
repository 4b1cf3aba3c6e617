"""Imports are all or nothing: every problem named by row and field, nothing written; dry runs; statuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from registry.extensions import db
from registry.models import Practice
from registry.services.exchange.formats import CHUNK
from registry.services.exchange.importing import import_data
from registry.services.exchange.report import ImportRejected
from registry.services.networks import NETWORK
from tests.exchange_data import (
    CSV_HEADER,
    TAKEN_NUMBER,
    csv_row,
    csv_text,
    document,
    export,
    import_into,
    practice,
    rejected,
)
from tests.factories import (
    write,
)
from tests.helpers import dump

# --- all or nothing ---------------------------------------------------------------------------------------------------


BAD_JSON = [
    pytest.param({"practices": [practice(), practice("synthetic-bad", lead_local_government="atlantis")]},
                 ("practices[1]", "lead_local_government", "Unknown slug: 'atlantis'."), id="unknown-reference"),
    pytest.param({"practices": [practice(rights=["housing", "no-such-right", "nor-this"])]},
                 ("practices[0]", "rights", "Unknown slug: 'no-such-right', 'nor-this'."), id="unknown-in-list"),
    pytest.param({"practices": [practice(start_year="soon")]},
                 ("practices[0]", "start_year", "Not a valid integer."), id="bad-field"),
    pytest.param({"practices": [practice(colour="blue")]}, ("practices[0]", "colour", "Unknown field."),
                 id="unknown-field"),
    pytest.param({"practices": [practice(original_language="es")]},
                 ("practices[0]", "title", "Must include text in the original language 'es'."),
                 id="missing-original-language"),
    pytest.param({"practices": [practice(sources=[{"title": "x", "kind": "podcast"}])]},
                 ("practices[0]", "sources[0].kind", "Must be one of"), id="nested-field"),
    pytest.param({"practices": [practice(), practice()]},
                 ("practices[1]", "slug", "Appears twice in this import (also row practices[0])."), id="duplicate"),
    pytest.param({"practices": [practice(status="approved")]}, ("practices[0]", "status", "Must be one of"),
                 id="bad-status"),
    pytest.param({"practices": [practice(title={"en": "nul\x00here"})]},
                 ("practices[0]", "title.en", "Cannot hold a NUL character."), id="nul"),
    pytest.param({"sessions": [{"slug": "synthetic-session", "original_language": "en", "title": {"en": "S"},
                                "participants": [{"person": "nobody", "role": "speaker"}]}]},
                 ("sessions[0]", "participants[0].person", "Unknown slug: 'nobody'."), id="participant"),
    pytest.param({"questions": []}, ("-", "records.questions", "Unknown kind"), id="unknown-kind"),
    pytest.param({"practices": ["not a record"]}, ("practices[0]", "(record)", "Must be an object"),
                 id="not-an-object"),
]


@pytest.mark.parametrize(("records", "expected"), BAD_JSON)
def test_one_bad_json_row_writes_nothing_and_is_named(
    seeded_app: Flask, records: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    for dry_run in (False, True):
        problems = rejected(seeded_app, document(**records), "json", dry_run=dry_run)
        assert len(problems) == 1, problems
        row, field, message = problems[0]
        assert (row, field) == expected[:2] and message.startswith(expected[2])


def test_every_problem_is_reported_at_once(seeded_app: Flask) -> None:
    content = document(practices=[
        practice("synthetic-a", start_year=1800, session="nowhere"), practice(), practice("synthetic-b", rights=["x"]),
    ])
    assert rejected(seeded_app, content, "json") == [
        ("practices[0]", "start_year", "Must be greater than or equal to 1900 and less than or equal to 2100."),
        ("practices[2]", "rights", "Unknown slug: 'x'."),
    ]


def test_a_file_that_is_not_json_is_refused(seeded_app: Flask) -> None:
    [(row, field, message)] = rejected(seeded_app, '{"records": {', "json")
    assert (row, field) == ("-", "(file)") and message.startswith("Not valid JSON")
    [(row, field, message)] = rejected(seeded_app, b"\xff\xfe", "json")
    assert message.startswith("Not UTF-8 text")


def test_a_parent_cycle_is_refused(seeded_app: Flask) -> None:
    network = {"original_language": "en", "name": {"en": "Synthetic network"}}
    content = json.dumps({"records": {"networks": [
        {**network, "slug": "synthetic-a", "parent": "synthetic-b"},
        {**network, "slug": "synthetic-b", "parent": "synthetic-a"},
    ]}})
    assert [(r, f) for r, f, _ in rejected(seeded_app, content, "json")] == [
        ("networks[0]", "parent"), ("networks[1]", "parent")
    ]


def test_a_deleted_practice_is_not_imported_over(rich_app: Flask) -> None:
    content = document(practices=[practice("synthetic-deleted")])
    assert rejected(rich_app, content, "json") == [
        ("practices[0]", "slug", "A deleted practice has this slug; restore it first.")
    ]


BAD_CSV = [
    pytest.param({"start_year": "soon"}, ("start_year", "Not a valid integer."), id="integer"),
    pytest.param({"funding_independent_of_state": "perhaps"}, ("funding_independent_of_state", "Not a valid boolean."),
                 id="boolean"),
    pytest.param({"sources": '[{"title": "x"'}, ("sources", "Not valid JSON"), id="json-cell"),
    pytest.param({"sources": '[{"title": "x", "kind": "report", "url": "ftp://x"}]'},
                 ("sources[0].url", "Not a valid URL"), id="json-cell-content"),
    pytest.param({"rights": "housing|atlantis"}, ("rights", "Unknown slug: 'atlantis'."), id="unknown-in-list"),
    pytest.param({"original_language": "fr"}, ("title", "Must include text in the original language 'fr'."),
                 id="missing-original-language"),
    pytest.param({"title.en": ""}, ("title", "Missing data for required field."), id="no-title"),
    pytest.param({"lead_local_government": "'=cmd"}, ("lead_local_government", "Must be lowercase"), id="formula"),
]


@pytest.mark.parametrize(("change", "expected"), BAD_CSV)
def test_one_bad_csv_cell_writes_nothing_and_names_its_line(
    seeded_app: Flask, change: dict[str, str], expected: tuple[str, str]
) -> None:
    # Lines: 1 header, 2-3 the first row (its title spans two lines), 4-5 the second, 6-7 the bad one.
    content = csv_text(csv_row("synthetic-a"), csv_row("synthetic-b"), csv_row("synthetic-c", **change))
    problems = rejected(seeded_app, content, "csv")
    assert len(problems) == 1, problems
    row, field, message = problems[0]
    assert (row, field) == ("6", expected[0]) and message.startswith(expected[1])


def test_csv_header_and_shape_problems(seeded_app: Flask) -> None:
    header = [*CSV_HEADER, "colour", "summary", "slug"]
    content = csv_text([*csv_row(), "blue", "x", "synthetic-csv"], csv_row("short")[:3], header=header)
    assert rejected(seeded_app, content, "csv") == [
        ("1", "colour", "Unknown column."),
        ("1", "summary", "One column per language, such as 'summary.fr'."),
        ("1", "slug", "Column appears twice."),
        ("4", "(row)", "Has 3 cells where the header has 12."),
    ]
    [(row, field, message)] = rejected(seeded_app, 'slug,title.en\r\n"unclosed,x\r\n', "csv")
    assert field == "(file)" and message.startswith("Not valid CSV")
    assert rejected(seeded_app, "", "csv") == [("-", "(file)", "Empty: the first row must name the columns.")]


def test_csv_import_writes_with_relations(seeded_app: Flask) -> None:
    content = csv_text(csv_row(sources='[{"title": "Synthetic source", "kind": "report"}]',
                               funding_independent_of_state="true"))
    report = import_into(seeded_app, "\ufeff" + content, "csv")  # a spreadsheet's byte-order mark is fine
    assert report.by_kind() == {"practices": {"created": 1, "updated": 0, "unchanged": 0}}
    with seeded_app.app_context():
        practice = db.session.scalar(select(Practice).where(Practice.slug == "synthetic-csv"))
        assert [r.slug for r in practice.rights] == ["food", "housing"]
        assert practice.title == {"en": "Synthetic synthetic-csv\nin two lines"}
        assert practice.start_year == 2019 and practice.funding_independent_of_state is True
        assert [s.title for s in practice.sources] == ["Synthetic source"]


# --- status, dry runs ---------------------------------------------------------------------------------------------

def test_practices_without_status_are_drafts_and_existing_ones_keep_theirs(seeded_app: Flask) -> None:
    with seeded_app.app_context():  # a status other than the default, to tell "kept" from "defaulted"
        db.session.execute(update(Practice).where(Practice.slug.startswith("madrid")).values(status="in_review"))
        db.session.commit()
    practices = json.loads(export(seeded_app, "json"))["records"]["practices"]
    (madrid,) = (p for p in practices if p["slug"].startswith("madrid"))
    del madrid["status"]
    madrid["title"]["en"] = "Madrid's contribution (retitled by a synthetic test)"
    report = import_into(seeded_app, document(practices=[madrid, practice()]), "json")
    assert report.by_kind()["practices"] == {"created": 1, "updated": 1, "unchanged": 0}
    with seeded_app.app_context():
        statuses = dict(db.session.execute(select(Practice.slug, Practice.status)).all())
        assert statuses["synthetic-imported"] == "draft" and statuses[madrid["slug"]] == "in_review"


def test_a_practice_imported_as_published_is_dated(seeded_app: Flask) -> None:
    import_into(seeded_app, document(practices=[practice(status="published")]), "json")
    with seeded_app.app_context():
        published = db.session.scalar(select(Practice).where(Practice.slug == "synthetic-imported"))
        assert published.status == "published" and published.published_at is not None


def test_dry_run_writes_nothing_and_says_what_it_would_do(rich_app: Flask, empty_app: Flask) -> None:
    content = export(rich_app, "json")
    before = dump(empty_app)
    report = import_into(empty_app, content, "json", dry_run=True)
    assert not report.written and report.total("created") == 124 and report.total("updated") == 0
    assert dump(empty_app) == before


def test_a_dry_run_then_the_real_import_in_one_transaction(rich_app: Flask, empty_app: Flask) -> None:
    """The dry run's rolled-back rows leave nothing behind in the session for the real import to trip on."""
    content = export(rich_app, "json")
    with empty_app.app_context():
        import_data(db.session, content, fmt="json", actor="test-import", dry_run=True)
        assert len(db.session.identity_map) == 0  # no ghost of a row that was rolled back
        import_data(db.session, content, fmt="json", actor="test-import", dry_run=False)
        db.session.commit()
        db.session.remove()
    assert export(empty_app, "json") == content


def test_a_dry_run_asks_the_database_too(seeded_app: Flask) -> None:
    content = json.dumps({"records": {"gcm_objectives": [TAKEN_NUMBER]}})
    for dry_run in (True, False):
        [(row, field, message)] = rejected(seeded_app, content, "json", dry_run=dry_run)
        assert (row, field) == ("gcm_objectives[0]", "(record)") and message.startswith("Refused by the database")


def test_the_caller_commits_or_rolls_back(own_seeded_app: Flask) -> None:
    """Nothing commits inside: a successful import the caller rolls back leaves no trace (SQLite included,
    where releasing a SAVEPOINT that opened the transaction would have committed it).

    On a database of its own: the shared test transaction (and its BEGIN) would hide what this is about."""
    before = dump(own_seeded_app)
    with own_seeded_app.app_context():
        report = import_data(db.session, document(practices=[practice()]), fmt="json", actor="t", dry_run=False)
        assert report.written
        db.session.rollback()
        db.session.remove()
    assert dump(own_seeded_app) == before


@pytest.mark.parametrize("records", [
    pytest.param({"practices": [practice(rights=["x"])]}, id="refused-before-writing"),
    pytest.param({"gcm_objectives": [TAKEN_NUMBER]}, id="refused-by-the-database-while-writing"),
])
def test_a_rejected_import_keeps_the_callers_own_writes(own_seeded_app: Flask, records: dict[str, Any]) -> None:
    """The import's SAVEPOINT is rolled back, not the caller's transaction (a database of its own, for the
    same reason as above)."""
    with own_seeded_app.app_context():
        write(NETWORK, {"slug": "synthetic-before", "original_language": "en", "name": {"en": "Synthetic"}})
        with pytest.raises(ImportRejected):
            import_data(db.session, document(**records), fmt="json", actor="t", dry_run=False)
        db.session.commit()
        db.session.remove()
    exported = json.loads(export(own_seeded_app, "json"))["records"]
    assert "synthetic-before" in [n["slug"] for n in exported["networks"]]
    assert "synthetic-network" not in [n["slug"] for n in exported["networks"]]
    assert "synthetic-objective" not in [o["slug"] for o in exported["gcm_objectives"]]


def test_references_are_checked_in_chunks_of_what_the_rows_name(seeded_app: Flask) -> None:
    """The check asks the database only for the slugs the rows name, some hundreds at a time: more than one
    chunk of names still finds every known one and names every unknown one."""
    unknown = [f"synthetic-right-{n:04}" for n in range(CHUNK + 20)]
    content = document(practices=[practice(rights=[*unknown[:300], "housing", *unknown[300:], "food"])])
    [(row, field, message)] = rejected(seeded_app, content, "json")
    assert (row, field) == ("practices[0]", "rights")
    assert message == f"Unknown slug: {', '.join(map(repr, unknown))}."

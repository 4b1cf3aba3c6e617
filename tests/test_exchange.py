"""Bulk import and export: identical round trips on each engine, all or nothing, dry runs, the CLI, CSV safety.

``rich_app`` is the seeded database plus synthetic records chosen to be awkward: a child network whose
slug sorts before its parent's, a local government inside a province, a session with participants and
questions, practices in every status with every relation, a formula-looking title, a ``-5`` summary,
list items holding ``|`` and ``\\``, multi-line text, a language beyond the usual four, and a
soft-deleted practice that no export may carry.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import URL

from registry.cli.exchange import export_command, import_command
from registry.extensions import db
from registry.models import Practice, Revision
from registry.services.exchange.cells import CSV_FIELDS, FORMULA_STARTS, neutralise, restore
from registry.services.exchange.csv_export import export_csv
from registry.services.exchange.formats import FORMATS, LICENCE, Format
from registry.services.exchange.importing import import_data
from registry.services.exchange.json_export import export_json
from registry.services.exchange.report import ImportRejected, ImportReport
from registry.services.networks import NETWORK
from registry.services.validation import PracticeSeedInput
from tests.conftest import BACKENDS, PostgresServer, Templates, _app_on, _copy_of, make_app
from tests.factories import (
    SYNTHETIC,
    create_local_government,
    create_organisation,
    create_person,
    create_practice,
    create_session,
    question,
    utc,
    write,
)
from tests.test_seeds import dump

FORMULA_TITLE = '=HYPERLINK("https://example.org/synthetic","cliquez")'
RICH = "synthetic-rich-practice"
LANGUAGES = ("de", "en", "es", "fr", "pt")  # the usual four, and German from one synthetic title
SERVER_OWNED = {"id", "version", "created_at", "updated_at", "published_at", "deleted_at", "search_name"}


def add_synthetic_records() -> None:
    """Synthetic test data, through the write path (in an app context; committed)."""
    network = {"original_language": "en", "name": {"en": "Synthetic network (test data)"}}
    write(NETWORK, {**network, "slug": "synthetic-network-zz", "acronym": "SYN"})
    write(NETWORK, {**network, "slug": "synthetic-network-aa", "parent": "synthetic-network-zz"})
    create_local_government(
        slug="synthetic-town", parent="pichincha", country="EC", m49_region="019", m49_sub_region="419",
        m49_intermediate_region="005", latitude=-0.2298, longitude=-78.525, website="https://example.org/town",
        networks=["uclg", "synthetic-network-aa"],
    )
    create_organisation(slug="synthetic-organisation", country="EC", website="https://example.org/organisation")
    create_person(slug="synthetic-person", organisation="synthetic-organisation")
    create_session(
        slug="synthetic-session", date="2024-02-29", start_time="09:30", end_time="11:00",
        description={"en": "Synthetic session for the registry's tests."},
        participants=[{"person": "synthetic-person", "role": "moderator"}, {"person": "arruda", "role": "speaker"}],
        questions=[
            {"number": 1, "original_language": "en", "text": {"en": "Synthetic question?", "fr": "Question ?"}},
            {"number": 2, "original_language": "fr", "text": {"fr": "+ Deuxième question synthétique ?"}},
        ],
    )
    create_practice(
        slug=RICH, original_language="fr", status="in_review", documentation_status="documented",
        title={"fr": FORMULA_TITLE, "en": "Synthetic rich practice", "de": "Synthetische Praxis"},
        summary={"fr": "-5 % sur les loyers (données de test synthétiques)", "en": "@synthetic\nsecond line"},
        description={"fr": 'Texte "cité", avec virgules, | barres et\r\nretours à la ligne.'},
        lead_local_government="synthetic-town", partner_local_governments=["sao-paulo", "madrid"],
        session="synthetic-session", practice_types=["needs-assessment", "humanitarian-reception"],
        rights=["housing", "food"], questions=["synthetic-session-q2", question(1)],
        target_groups=["women", "unaccompanied-minors"], gcm_objectives=["gcm-objective-7", "gcm-objective-15"],
        gcm_principles=["people-centred"], sdg_targets=["10-7", "11-1"],
        partner_organisations=["synthetic-organisation"],
        start_year=2015, end_year=2020, funding_kinds=["-5% rent", "a|b", "back\\slash", "'quoted", "municipal"],
        funding_independent_of_state=True, outcomes={"fr": "\tRésultats synthétiques."}, evidence={"fr": "'=1+1"},
        sources=[
            {"title": "=1+1 synthetic report", "url": "https://example.org/report", "kind": "report",
             "date": "2020-01-31"},
            {"title": "Synthetic web page", "kind": "web_page"},
        ],
    )
    create_practice(slug="synthetic-draft", status="draft", funding_independent_of_state=False,
                    lead_local_government="upala")
    create_practice(slug="synthetic-archived", status="archived", original_language="es",
                    title={"es": "Práctica sintética archivada"})
    create_practice(slug="synthetic-deleted").deleted_at = utc(2024, 1, 1)
    db.session.commit()


@pytest.fixture
def rich_app(seeded_app: Flask) -> Flask:
    with seeded_app.app_context():
        add_synthetic_records()
        db.session.remove()
    return seeded_app


@pytest.fixture
def empty_app(backend: str, templates: Templates, tmp_path: Path, postgres: PostgresServer | None) -> Iterator[Flask]:
    """A second migrated, empty database beside ``seeded_app``'s (same engine, its own folder)."""
    directory = tmp_path / "empty"
    directory.mkdir()
    for url in _copy_of(backend, templates.get(backend, seeded=False), directory, postgres):
        yield from _app_on(url)


def export(app: Flask, fmt: Format) -> str:
    with app.app_context():
        try:
            return export_json(db.session) if fmt == "json" else export_csv(db.session)
        finally:
            db.session.remove()


def import_into(app: Flask, content: str | bytes, fmt: Format, *, dry_run: bool = False) -> ImportReport:
    """Import and commit, as the CLI does; ``ImportRejected`` goes to the test."""
    with app.app_context():
        try:
            report = import_data(db.session, content, fmt=fmt, actor="test-import", dry_run=dry_run)
            db.session.commit()
            return report
        finally:
            db.session.remove()


def rejected(app: Flask, content: str | bytes, fmt: Format, *, dry_run: bool = False) -> list[tuple[str, str, str]]:
    """Import what must be refused: the problems, after checking that the database did not change."""
    before = dump(app)
    with pytest.raises(ImportRejected) as caught:
        import_into(app, content, fmt, dry_run=dry_run)
    assert dump(app) == before
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def reference_data(full_json: str) -> str:
    """The JSON export without its practices: what a CSV of practices needs in the database first."""
    document = json.loads(full_json)
    document["records"]["practices"] = []
    return json.dumps(document)


# --- export -> import into an empty database -> export: the same bytes ------------------------------------------------

def test_json_round_trip_is_identical(rich_app: Flask, empty_app: Flask) -> None:
    first = export(rich_app, "json")
    assert RICH in first and "synthetic-deleted" not in first
    report = import_into(empty_app, first, "json")
    assert report.written and report.total("updated") == report.total("unchanged") == 0
    assert report.by_kind()["practices"] == {"created": 9, "updated": 0, "unchanged": 0}
    assert report.by_kind()["questions"]["created"] == 9
    assert export(empty_app, "json") == first
    with empty_app.app_context():
        actors = set(db.session.scalars(select(Revision.actor)))
        assert actors == {"test-import"}


def test_csv_round_trip_is_identical(rich_app: Flask, empty_app: Flask) -> None:
    full, first = export(rich_app, "json"), export(rich_app, "csv")
    import_into(empty_app, reference_data(full), "json")
    report = import_into(empty_app, first, "csv")
    assert report.by_kind() == {"practices": {"created": 9, "updated": 0, "unchanged": 0}}
    assert export(empty_app, "csv") == first
    assert export(empty_app, "json") == full  # the CSV carried everything a practice holds


def test_every_engine_exports_the_same_bytes(
    templates: Templates, tmp_path: Path, postgres: PostgresServer | None
) -> None:
    """The same content gives the same file on SQLite and PostgreSQL (when a server is configured)."""
    exports = set()
    for backend in BACKENDS:
        directory = tmp_path / backend
        directory.mkdir()
        for url in _copy_of(backend, templates.get(backend, seeded=True), directory, postgres):
            for app in _app_on(url):
                with app.app_context():
                    add_synthetic_records()
                    db.session.remove()
                exports.add((export(app, "json"), export(app, "csv")))
    assert len(exports) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_an_export_into_its_own_database_changes_nothing(rich_app: Flask, fmt: Format) -> None:
    content = export(rich_app, fmt)
    before = dump(rich_app)
    report = import_into(rich_app, content, fmt)
    assert report.total("created") == report.total("updated") == 0
    assert report.total("unchanged") == report.rows + (9 if fmt == "json" else 0)  # questions ride in sessions
    assert dump(rich_app) == before  # not even a revision


def test_export_is_the_input_the_schemas_take_and_nothing_the_server_owns(rich_app: Flask) -> None:
    document = json.loads(export(rich_app, "json"))
    assert list(document) == ["format", "version", "licence", "records"]
    assert document["format"] == "practice-registry" and "CC BY 4.0" in document["licence"]
    assert list(document["records"]) == [
        "networks", "rights", "target_groups", "practice_types", "gcm_objectives", "gcm_principles", "sdg_targets",
        "local_governments", "organisations", "people", "sessions", "practices",
    ]
    for records in document["records"].values():
        assert [r["slug"] for r in records] == sorted(r["slug"] for r in records)
        for record in records:
            assert not SERVER_OWNED & set(record)
    (rich,) = (p for p in document["records"]["practices"] if p["slug"] == RICH)
    assert rich["status"] == "in_review" and rich["title"]["fr"] == FORMULA_TITLE
    assert rich["sources"][0] == {"date": "2020-01-31", "kind": "report", "title": "=1+1 synthetic report",
                                  "url": "https://example.org/report"}
    (session,) = (s for s in document["records"]["sessions"] if s["slug"] == "synthetic-session")
    assert session["start_time"] == "09:30:00" and [q["number"] for q in session["questions"]] == [1, 2]
    assert session["participants"] == [{"person": "synthetic-person", "role": "moderator"},
                                       {"person": "arruda", "role": "speaker"}]


def test_csv_export_columns_and_licence(rich_app: Flask) -> None:
    rows = cells(export(rich_app, "csv"))
    header = rows[0]
    assert header[:8] == ["slug", "status", "original_language", *(f"title.{lang}" for lang in LANGUAGES)]
    assert header[-1] == "licence"
    assert all(row[-1] == LICENCE for row in rows[1:]) and "CC BY 4.0" in LICENCE
    assert len(rows) == 1 + 9


def test_csv_columns_cover_every_practice_field() -> None:
    """A field added to the practice schema and forgotten here would silently drop out of CSV round trips."""
    assert sorted(CSV_FIELDS) == sorted(PracticeSeedInput().fields)


def test_an_empty_registry_exports_and_imports(app: Flask, empty_app: Flask) -> None:
    for fmt in FORMATS:
        content = export(app, fmt)
        assert "CC BY 4.0" in content or fmt == "csv"
        report = import_into(empty_app, content, fmt)
        assert report.rows == 0 and export(empty_app, fmt) == content


# --- CSV against formula injection --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain", "plain"), ("", ""), ("'", "'"), ("'a", "'a"), ("'=1", "''=1"), ("''", "'''"), ("5-", "5-"),
])
def test_neutralise_guards_formulas_and_restore_undoes_it(value: str, cell: str) -> None:
    assert neutralise(value) == cell
    assert restore(cell) == value


def test_no_exported_cell_starts_like_a_formula(rich_app: Flask) -> None:
    rows = cells(export(rich_app, "csv"))
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    header, *records = rows
    (rich,) = (dict(zip(header, row, strict=True)) for row in records if row[0] == RICH)
    assert rich["title.fr"] == "'" + FORMULA_TITLE
    assert rich["summary.fr"].startswith("'-5 %")
    assert rich["funding_kinds"] == "'-5% rent|a\\|b|back\\\\slash|'quoted|municipal"
    assert rich["evidence.fr"] == "''=1+1"  # restored to '=1+1, as it was written
    assert rich["outcomes.fr"].startswith("'\t")


def test_a_hand_written_guarded_cell_imports_without_its_guard(seeded_app: Flask) -> None:
    text = ("slug,original_language,title.en,summary.en,lead_local_government,provenance\r\n"
            f"synthetic-guarded,en,'=SUM(A1),'plain,madrid,{SYNTHETIC}\r\n")
    import_into(seeded_app, text, "csv")
    with seeded_app.app_context():
        practice = db.session.scalar(select(Practice).where(Practice.slug == "synthetic-guarded"))
        assert practice.title == {"en": "=SUM(A1)"} and practice.summary == {"en": "'plain"}
        assert practice.status == "draft"


# --- all or nothing ---------------------------------------------------------------------------------------------------

def practice(slug: str = "synthetic-imported", **fields: Any) -> dict[str, Any]:
    return {"slug": slug, "original_language": "en", "title": {"en": f"Synthetic {slug}"},
            "lead_local_government": "madrid", "provenance": SYNTHETIC, **fields}


def document(**records: list[dict[str, Any]]) -> str:
    network = {"slug": "synthetic-network", "original_language": "en", "name": {"en": "Synthetic network"}}
    return json.dumps({"format": "practice-registry", "version": 1,
                       "records": {"networks": [network], **records}})


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


CSV_HEADER = ["slug", "original_language", "title.en", "lead_local_government", "rights", "start_year",
              "funding_independent_of_state", "sources", "provenance"]


def csv_text(*rows: list[str], header: list[str] = CSV_HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_row(slug: str = "synthetic-csv", **cells: str) -> list[str]:
    values = {"slug": slug, "original_language": "en", "title.en": f"Synthetic {slug}\nin two lines",
              "lead_local_government": "madrid", "rights": "housing|food", "start_year": "2019",
              "funding_independent_of_state": "", "sources": "", "provenance": SYNTHETIC, **cells}
    return [values[name] for name in CSV_HEADER]


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


TAKEN_NUMBER = {"slug": "synthetic-objective", "number": 1, "original_language": "en",
                "short_title": {"en": "Synthetic"}, "title": {"en": "Synthetic objective, number already taken"}}


# --- status, dry runs ---------------------------------------------------------------------------------------------

def test_practices_without_status_are_drafts_and_existing_ones_keep_theirs(seeded_app: Flask) -> None:
    practices = json.loads(export(seeded_app, "json"))["records"]["practices"]
    (madrid,) = (p for p in practices if p["slug"].startswith("madrid"))
    del madrid["status"]
    madrid["title"]["en"] = "Madrid's contribution (retitled by a synthetic test)"
    report = import_into(seeded_app, document(practices=[madrid, practice()]), "json")
    assert report.by_kind()["practices"] == {"created": 1, "updated": 1, "unchanged": 0}
    with seeded_app.app_context():
        statuses = dict(db.session.execute(select(Practice.slug, Practice.status)).all())
        assert statuses["synthetic-imported"] == "draft" and statuses[madrid["slug"]] == "published"


def test_a_practice_imported_as_published_is_dated(seeded_app: Flask) -> None:
    import_into(seeded_app, document(practices=[practice(status="published")]), "json")
    with seeded_app.app_context():
        published = db.session.scalar(select(Practice).where(Practice.slug == "synthetic-imported"))
        assert published.status == "published" and published.published_at is not None


def test_dry_run_writes_nothing_and_says_what_it_would_do(rich_app: Flask, empty_app: Flask) -> None:
    content = export(rich_app, "json")
    before = dump(empty_app)
    report = import_into(empty_app, content, "json", dry_run=True)
    assert not report.written and report.total("created") == 123 and report.total("updated") == 0
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


def test_the_caller_commits_or_rolls_back(seeded_app: Flask) -> None:
    """Nothing commits inside: a successful import the caller rolls back leaves no trace (SQLite included,
    where releasing a SAVEPOINT that opened the transaction would have committed it)."""
    before = dump(seeded_app)
    with seeded_app.app_context():
        report = import_data(db.session, document(practices=[practice()]), fmt="json", actor="t", dry_run=False)
        assert report.written
        db.session.rollback()
        db.session.remove()
    assert dump(seeded_app) == before


@pytest.mark.parametrize("records", [
    pytest.param({"practices": [practice(rights=["x"])]}, id="refused-before-writing"),
    pytest.param({"gcm_objectives": [TAKEN_NUMBER]}, id="refused-by-the-database-while-writing"),
])
def test_a_rejected_import_keeps_the_callers_own_writes(seeded_app: Flask, records: dict[str, Any]) -> None:
    with seeded_app.app_context():
        write(NETWORK, {"slug": "synthetic-before", "original_language": "en", "name": {"en": "Synthetic"}})
        with pytest.raises(ImportRejected):
            import_data(db.session, document(**records), fmt="json", actor="t", dry_run=False)
        db.session.commit()
        db.session.remove()
    exported = json.loads(export(seeded_app, "json"))["records"]
    assert "synthetic-before" in [n["slug"] for n in exported["networks"]]
    assert "synthetic-network" not in [n["slug"] for n in exported["networks"]]
    assert "synthetic-objective" not in [o["slug"] for o in exported["gcm_objectives"]]


# --- the CLI ------------------------------------------------------------------------------------------------------

def test_cli_export_to_stdout_and_to_a_file(rich_app: Flask, tmp_path: Path) -> None:
    runner = rich_app.test_cli_runner()
    result = runner.invoke(export_command, [])
    assert result.exit_code == 0, result.output
    assert result.stdout == export(rich_app, "json")
    target = tmp_path / "practices.csv"
    result = runner.invoke(export_command, ["--format", "csv", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == export(rich_app, "csv").encode()
    assert str(target) in result.stderr


def test_cli_import_then_export_is_identical(rich_app: Flask, empty_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "registry.json"
    assert rich_app.test_cli_runner().invoke(export_command, ["--output", str(source)]).exit_code == 0
    runner = empty_app.test_cli_runner()
    result = runner.invoke(import_command, [str(source)])
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr
    assert f"Imported 114 record(s) from {source}: 123 created, 0 updated, 0 unchanged." in result.stdout
    assert runner.invoke(export_command, []).stdout == source.read_text(encoding="utf-8")


def test_cli_dry_run(rich_app: Flask, empty_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "registry.txt"
    source.write_text(export(rich_app, "json"), encoding="utf-8")
    before = dump(empty_app)
    result = empty_app.test_cli_runner().invoke(import_command, ["--dry-run", "--format", "json", str(source)])
    assert result.exit_code == 0, result.output
    assert "would create 123" in result.stdout and "Nothing written (--dry-run)" in result.stdout
    assert dump(empty_app) == before


def test_cli_rejects_with_the_row_level_report(seeded_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(csv_text(csv_row(), csv_row("synthetic-bad", lead_local_government="atlantis")), encoding="utf-8")
    before = dump(seeded_app)
    result = seeded_app.test_cli_runner().invoke(import_command, [str(source)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "Import rejected, nothing written (1 problem(s)):",
        "  row 4 (slug 'synthetic-bad'): lead_local_government: Unknown slug: 'atlantis'.",
    ]
    assert dump(seeded_app) == before


def test_cli_needs_a_format_it_can_tell(seeded_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "registry.txt"
    source.write_text("{}", encoding="utf-8")
    result = seeded_app.test_cli_runner().invoke(import_command, [str(source)])
    assert result.exit_code == 2 and "give --format json or csv" in result.stderr


def test_cli_refuses_an_unmigrated_database(fresh_database_url: str | URL, tmp_path: Path) -> None:
    source = tmp_path / "registry.json"
    source.write_text("{}", encoding="utf-8")
    app = make_app(fresh_database_url)
    for command, args in ((import_command, [str(source)]), (export_command, [])):
        result = app.test_cli_runner().invoke(command, args)
        assert result.exit_code == 1 and "db upgrade" in result.stderr
    with app.app_context():
        db.engine.dispose()

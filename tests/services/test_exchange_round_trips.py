"""Export, import into an empty registry, export again: the same bytes, on each engine; CSV against formulas.

``rich_app`` is the seeded database plus ``tests.exchange_data.add_synthetic_records``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from registry.extensions import db
from registry.models import Practice, Revision
from registry.models.base import as_utc
from registry.services.exchange.cells import CSV_FIELDS, FORMULA_STARTS, neutralise, restore
from registry.services.exchange.formats import FORMATS, KIND_BY_KEY, LICENCE, Format
from registry.services.exchange.stamps import PracticeStampInput, stamp_schema
from registry.services.validation import PracticeSeedInput
from tests.conftest import BACKENDS, SharedDatabases
from tests.exchange_data import (
    FORMULA_TITLE,
    LANGUAGES,
    RICH,
    THIS_DATABASE_ONLY,
    add_synthetic_records,
    cells,
    export,
    import_into,
    reference_data,
    without_times,
)
from tests.factories import SYNTHETIC
from tests.helpers import dump

# --- export -> import into an empty database -> export: the same bytes ------------------------------------------

def history(app: Flask) -> list[tuple[Any, ...]]:
    """Every revision but its ids, in order: which record (by kind and slug), what, who, when, the changes."""
    with app.app_context():
        rows = db.session.execute(select(Revision.entity_type, Revision.entity_slug, Revision.action, Revision.actor,
                                         Revision.created_at, Revision.changes, Revision.note)
                                  .order_by(Revision.id)).all()
        db.session.remove()
    return [(*row[:4], as_utc(row[4]), *row[5:]) for row in rows]



def test_json_round_trip_is_identical(rich_app: Flask, empty_app: Flask) -> None:
    first = export(rich_app, "json")
    assert RICH in first and "synthetic-deleted" in first  # soft-deleted practices too: nothing is lost
    report = import_into(empty_app, first, "json")
    assert report.written and report.total("updated") == report.total("unchanged") == 0
    assert report.by_kind()["practices"] == {"created": 10, "updated": 0, "unchanged": 0}
    assert report.by_kind()["questions"]["created"] == 9
    assert export(empty_app, "json") == first
    assert report.revisions == {"restored": len(json.loads(first)["revisions"])} and report.revisions["restored"] > 100
    assert history(empty_app) == history(rich_app)  # the history restored, not an import's own


def test_csv_round_trip_is_identical(rich_app: Flask, empty_app: Flask) -> None:
    full, first = export(rich_app, "json"), export(rich_app, "csv")
    import_into(empty_app, reference_data(full), "json")
    report = import_into(empty_app, first, "csv")
    assert report.by_kind() == {"practices": {"created": 10, "updated": 0, "unchanged": 0}}
    assert export(empty_app, "csv") == first
    records = json.loads(export(empty_app, "json"))["records"]
    assert records == json.loads(full)["records"]  # the CSV carried everything a practice holds, but its history


def test_every_engine_exports_the_same_bytes(databases: SharedDatabases, request: pytest.FixtureRequest) -> None:
    """The same content gives the same file on SQLite and PostgreSQL (when a server is configured), but for the
    times each database wrote its records; and the same file imported into each exports the same bytes."""
    exports, masked = set(), set()
    for backend in BACKENDS:
        with databases.get(backend, "seeded").transaction(request) as app:
            with app.app_context():
                add_synthetic_records()
                db.session.remove()
            exports.add(export(app, "json"))
            masked.add((without_times(export(app, "json")), without_times(export(app, "csv"))))
    assert len(masked) == 1
    first = sorted(exports)[0]
    for backend in BACKENDS:
        with databases.get(backend, "empty").transaction(request) as app:
            import_into(app, first, "json")
            assert export(app, "json") == first


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_an_export_into_its_own_database_changes_nothing(rich_app: Flask, fmt: Format) -> None:
    content = export(rich_app, fmt)
    before = dump(rich_app)
    report = import_into(rich_app, content, fmt)
    assert report.total("created") == report.total("updated") == 0
    assert report.total("unchanged") == report.rows + (9 if fmt == "json" else 0)  # questions ride in sessions
    assert dump(rich_app) == before  # not even a revision


def test_export_is_the_input_the_schemas_take_with_the_stamps(rich_app: Flask) -> None:
    document = json.loads(export(rich_app, "json"))
    assert list(document) == ["format", "version", "licence", "records", "revisions"]
    assert document["format"] == "practice-registry" and "CC BY 4.0" in document["licence"]
    assert document["version"] == 2
    assert list(document["records"]) == [
        "networks", "rights", "target_groups", "practice_types", "gcm_objectives", "gcm_principles", "sdg_targets",
        "local_governments", "organisations", "people", "sessions", "practices",
    ]
    for key, records in document["records"].items():
        assert [r["slug"] for r in records] == sorted(r["slug"] for r in records)
        kind = KIND_BY_KEY[key]
        for record in records:
            assert set(record) == set(kind.schema().fields) | set(stamp_schema(kind.model)().fields)
            assert not THIS_DATABASE_ONLY & set(record)
            assert record["version"] >= 1 and record["created_at"] <= record["updated_at"]
            assert record["created_at"].endswith("Z")
    (rich,) = (p for p in document["records"]["practices"] if p["slug"] == RICH)
    assert rich["status"] == "in_review" and rich["title"]["fr"] == FORMULA_TITLE
    assert rich["sources"][0] == {"date": "2020-01-31", "kind": "report", "title": "=1+1 synthetic report",
                                  "url": "https://example.org/report"}
    (session,) = (s for s in document["records"]["sessions"] if s["slug"] == "synthetic-session")
    assert session["start_time"] == "09:30:00" and [q["number"] for q in session["questions"]] == [1, 2]
    assert set(session["questions"][0]) == {"number", "original_language", "text", "created_at", "updated_at",
                                            "version"}
    (deleted,) = (p for p in document["records"]["practices"] if p["slug"] == "synthetic-deleted")
    assert deleted["deleted_at"] == "2024-01-01T00:00:00Z"
    assert session["participants"] == [{"person": "synthetic-person", "role": "moderator"},
                                       {"person": "arruda", "role": "speaker"}]


def test_csv_export_columns_and_licence(rich_app: Flask) -> None:
    rows = cells(export(rich_app, "csv"))
    header = rows[0]
    assert header[:8] == ["slug", "status", "original_language", *(f"title.{lang}" for lang in LANGUAGES)]
    assert header[-6:] == ["created_at", "updated_at", "version", "published_at", "deleted_at", "licence"]
    assert all(row[-1] == LICENCE for row in rows[1:]) and "CC BY 4.0" in LICENCE
    assert len(rows) == 1 + 10


def test_csv_columns_cover_every_practice_field_and_stamp() -> None:
    """A field added to the practice schema and forgotten here would silently drop out of CSV round trips."""
    assert sorted(CSV_FIELDS) == sorted([*PracticeSeedInput().fields, *PracticeStampInput().fields])


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

"""The CSV's columns come from the practice schema, and files whose columns are in another order still import.

Columns are found by their header's names, so a file written before the columns followed the schema (or
by hand, in any order) reads the same as today's export.
"""

from __future__ import annotations

import csv
import io

from flask import Flask

from registry.extensions import db
from registry.services.exchange.cells import CSV_FIELDS, LEADING_COLUMNS, LICENCE_COLUMN, MULTILINGUAL
from registry.services.exchange.csv_export import export_csv
from registry.services.exchange.importing import import_data
from registry.services.exchange.stamps import PracticeStampInput
from registry.services.validation import PracticeSeedInput

#: The practice columns as the export wrote them when they were listed by hand (before issue 8).
OLD_ORDER = (
    "slug", "status", "original_language", "title", "summary", "description", "lead_local_government",
    "partner_local_governments", "session", "practice_types", "rights", "questions", "target_groups",
    "gcm_objectives", "gcm_principles", "sdg_targets", "partner_organisations", "start_year", "end_year",
    "funding_kinds", "funding_independent_of_state", "outcomes", "evidence", "sources", "provenance",
    "documentation",
)


#: The stamps' columns, after the fields since format version 2.
STAMPS = ("created_at", "updated_at", "version", "published_at", "deleted_at")


def test_csv_columns_follow_the_practice_schema() -> None:
    declared = [*PracticeSeedInput().fields, *PracticeStampInput().fields]
    assert CSV_FIELDS[: len(LEADING_COLUMNS)] == LEADING_COLUMNS
    assert list(CSV_FIELDS[len(LEADING_COLUMNS):]) == [name for name in declared if name not in LEADING_COLUMNS]
    # the fields' columns did not change when they stopped being listed by hand; the stamps came after them
    assert CSV_FIELDS == (*OLD_ORDER, *STAMPS)


def reordered(text: str, order: list[str]) -> str:
    """``text`` (a CSV export) with its columns rearranged: fields in ``order``, the licence column first."""
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))

    def columns_of(name: str) -> list[str]:
        return [c for c in header if c.split(".")[0] == name] if name in MULTILINGUAL else [name]
    columns = [LICENCE_COLUMN, *(column for name in order for column in columns_of(name))]
    positions = [header.index(column) for column in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([row[i] for i in positions] for row in rows)
    return out.getvalue()


def test_csv_columns_in_another_order_import_the_same(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        exported = export_csv(db.session)
        practices = len(exported.splitlines()) - 1
        assert practices > 0
        orders = {
            "old": list(OLD_ORDER),
            "schema": list(PracticeSeedInput().fields),  # original_language first, status last
            "reversed": list(reversed(CSV_FIELDS)),
        }
        for name, order in orders.items():
            report = import_data(db.session, reordered(exported, order), fmt="csv", actor="test-import", dry_run=False)
            assert (report.rows, report.total("unchanged")) == (practices, practices), name
            assert report.total("created") == report.total("updated") == 0, name
        db.session.rollback()
        db.session.remove()

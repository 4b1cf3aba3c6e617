"""Synthetic records for the import/export tests, and helpers to export, import and read the results.

``add_synthetic_records`` adds records chosen to be awkward to the seeds: a child network whose
slug sorts before its parent's, a local government inside a province, a session with participants and
questions, practices in every status with every relation, a formula-looking title, a ``-5`` summary,
list items holding ``|`` and ``\\``, multi-line text, a language beyond the usual four, and a
soft-deleted practice that the export carries with its ``deleted_at``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from flask import Flask

from registry.extensions import db
from registry.services.exchange.csv_export import export_csv
from registry.services.exchange.formats import Format
from registry.services.exchange.importing import import_data
from registry.services.exchange.json_export import export_json
from registry.services.exchange.report import ImportRejected, ImportReport
from registry.services.networks import NETWORK
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
from tests.helpers import dump

FORMULA_TITLE = '=HYPERLINK("https://example.org/synthetic","cliquez")'
RICH = "synthetic-rich-practice"
LANGUAGES = ("de", "en", "es", "fr", "pt")  # the usual four, and German from one synthetic title
#: Columns that mean something in one database only: never exported.
THIS_DATABASE_ONLY = {"id", "search_name", "entity_id", "token_id"}
#: An exported time (ISO 8601, UTC), in JSON or in a CSV cell.
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z")


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
        slug=RICH, original_language="fr", status="in_review", documentation="complete",
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


def without_times(text: str) -> str:
    """An export with every time it holds blotted out: what two databases written at other moments share."""
    return TIME.sub("<time>", text)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def reference_data(full_json: str) -> str:
    """The JSON export without its practices (nor its history): what a CSV of practices needs in the database first."""
    document = json.loads(full_json)
    document["records"]["practices"] = []
    del document["revisions"]
    return json.dumps(document)


def practice(slug: str = "synthetic-imported", **fields: Any) -> dict[str, Any]:
    return {"slug": slug, "original_language": "en", "title": {"en": f"Synthetic {slug}"},
            "lead_local_government": "madrid", "provenance": SYNTHETIC, **fields}


def document(**records: list[dict[str, Any]]) -> str:
    network = {"slug": "synthetic-network", "original_language": "en", "name": {"en": "Synthetic network"}}
    return json.dumps({"format": "practice-registry", "version": 1,
                       "records": {"networks": [network], **records}})


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


TAKEN_NUMBER = {"slug": "synthetic-objective", "number": 1, "original_language": "en",
                "short_title": {"en": "Synthetic"}, "title": {"en": "Synthetic objective, number already taken"}}

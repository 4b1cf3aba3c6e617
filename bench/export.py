"""The plain SQLite file Datasette serves: the same practices, flattened as a Datasette user would load them.

One ``practices`` table (the columns the queries read: slug, title, status, deleted_at, updated_at, country,
lead local government, documentation, years), one FTS5 table over the same text the registry indexes
(copied from the registry's own ``practice_search``, so both match the same practices), the link tables
as (practice_id, slug), and the indexes a reasonable Datasette user adds for these queries.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from bench.queries import MATCHES, Query

SCHEMA = """
CREATE TABLE practices (
    id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL, original_language TEXT,
    status TEXT NOT NULL, deleted_at TEXT, updated_at TEXT NOT NULL, lead_local_government TEXT NOT NULL,
    country TEXT, documentation TEXT, start_year INTEGER, end_year INTEGER, summary TEXT, provenance TEXT
);
CREATE VIRTUAL TABLE practices_fts USING fts5(title, body, place, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE practice_rights (practice_id INTEGER NOT NULL REFERENCES practices(id), right_slug TEXT NOT NULL,
    PRIMARY KEY (practice_id, right_slug));
CREATE TABLE practice_target_groups (practice_id INTEGER NOT NULL REFERENCES practices(id),
    target_group_slug TEXT NOT NULL, PRIMARY KEY (practice_id, target_group_slug));
"""

INDEXES = """
CREATE INDEX practices_newest ON practices (updated_at DESC, slug);
CREATE INDEX practices_country ON practices (country, updated_at DESC, slug);
CREATE INDEX practices_status ON practices (status, deleted_at);
CREATE INDEX practice_rights_right ON practice_rights (right_slug, practice_id);
CREATE INDEX practice_target_groups_group ON practice_target_groups (target_group_slug, practice_id);
"""


def export(registry_db: Path, target: Path) -> int:
    """Write ``target`` from the registry's SQLite file; how many practices it holds."""
    target.unlink(missing_ok=True)
    out = sqlite3.connect(target)
    out.executescript(SCHEMA)
    out.execute("ATTACH DATABASE ? AS r", (f"file:{registry_db}?mode=ro",))
    with out:
        out.execute("""
            INSERT INTO practices SELECT p.id, p.slug, json_extract(p.title, '$.' || p.original_language),
                p.original_language, p.status, p.deleted_at, p.updated_at, lg.slug, lg.country, p.documentation,
                p.start_year, p.end_year, json_extract(p.summary, '$.' || p.original_language), p.provenance
            FROM r.practices AS p JOIN r.local_governments AS lg ON lg.id = p.lead_local_government_id""")
        out.execute("INSERT INTO practices_fts (rowid, title, body, place)"
                    " SELECT rowid, title, body, place FROM r.practice_search")
        out.execute("INSERT INTO practice_rights SELECT l.practice_id, t.slug FROM r.practice_rights AS l"
                    " JOIN r.rights AS t ON t.id = l.right_id")
        out.execute("INSERT INTO practice_target_groups SELECT l.practice_id, t.slug FROM r.practice_target_groups"
                    " AS l JOIN r.target_groups AS t ON t.id = l.target_group_id")
    out.execute("DETACH DATABASE r")
    out.executescript(INDEXES)
    out.execute("ANALYZE")
    count = out.execute("SELECT count(*) FROM practices").fetchone()[0]
    out.close()
    return count


def metadata(database: str, queries: list[Query]) -> dict[str, Any]:
    """Datasette's metadata.json: one canned query per benchmark query, and the one checks use (``MATCHES``)."""
    canned = {q.canned: {"sql": q.sql} for q in queries}
    canned[MATCHES[0]] = {"sql": MATCHES[1]}
    return {"title": "Synthetic practices (benchmark export; every record is synthetic)",
            "databases": {database: {"queries": canned}}}


def write_metadata(path: Path, database: str, queries: list[Query]) -> None:
    path.write_text(json.dumps(metadata(database, queries), indent=2))

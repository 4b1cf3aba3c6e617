"""The benchmark's queries, each asked of the registry and of Datasette: add one by appending to ``QUERIES``.

Each query has the registry's URL, the SQL of a Datasette canned query that answers the same question
over the flat export (``bench.export``), and how to read the practice slugs out of each answer, which the
runner compares before timing anything. ``registry`` None means the registry has no such query yet: it is
reported "not available". A query with ``follow_next`` is timed on the URL its registry URL's ``links.next``
gives (the deep cursor page: the runner asks for the page before it by number, once, before timing).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

#: The term matching many practices ("logement" is in the French summary of every housing practice).
TERM = "logement"
PAGE_SIZE = 50
DEEP_PAGE = 1001
#: Rows before the deep pages (page 1001 by offset, and the page the deep cursor resumes at): 50,000.
DEEP_ROWS = (DEEP_PAGE - 1) * PAGE_SIZE
VISIBLE = "status = 'published' AND deleted_at IS NULL"
NEWEST = "ORDER BY updated_at DESC, slug"


@dataclass(frozen=True)
class Query:
    name: str
    #: Path and query string on the registry (None: not available there yet).
    registry: str | None
    #: Canned query name in metadata.json, and its SQL over the export.
    canned: str
    sql: str
    #: Datasette URL parameters for the canned query.
    params: str = ""
    #: Slugs in the registry's answer (JSON) and in Datasette's (``?_shape=objects`` rows).
    registry_slugs: Callable[[Any], list[str]] = lambda body: [item["slug"] for item in body["items"]]
    datasette_slugs: Callable[[Any], list[str]] = lambda body: [row["slug"] for row in body["rows"]]
    #: Why a side has no figure.
    note: str = ""
    #: Time the registry on its answer's ``links.next`` (a cursor) rather than on ``registry`` itself.
    follow_next: bool = False
    #: The order is the engine's own (relevance: bm25 in SQLite's FTS5, ts_rank in PostgreSQL): on an engine
    #: other than SQLite the check compares what matches (``MATCHES``), not the page's order.
    ranked_by_engine: bool = False


def _facet_pairs_registry(body: Any) -> list[str]:
    return sorted(f"{name}:{v['value']}:{v['count']}" for name, values in body["facets"].items() for v in values)


def _facet_pairs_datasette(body: Any) -> list[str]:
    return sorted(f"{row['facet']}:{row['value']}:{row['count']}" for row in body["rows"])


def _detail_registry(body: Any) -> list[str]:
    return [body["slug"], *sorted(r["slug"] if isinstance(r, dict) else r for r in body.get("rights", []))]


def _detail_datasette(body: Any) -> list[str]:
    row = body["rows"][0]
    return [row["slug"], *sorted(filter(None, (row["rights"] or "").split(",")))]


#: Datasette's side of the check of a ``ranked_by_engine`` query on PostgreSQL: how many practices match
#: ``q``, and how many of the given ``slugs`` (a JSON array: the registry's page) are among them.
MATCHES = ("matches", f"SELECT (SELECT count(*) FROM practices WHERE {VISIBLE} AND id IN (SELECT rowid FROM"
           " practices_fts WHERE practices_fts MATCH :q)) AS total, (SELECT count(*) FROM practices WHERE"
           f" {VISIBLE} AND id IN (SELECT rowid FROM practices_fts WHERE practices_fts MATCH :q) AND slug IN"
           " (SELECT value FROM json_each(:slugs))) AS listed")


def cursor_depth(visible: int) -> int:
    """Rows before the deep cursor's page among ``visible`` practices: 50,000 (where page 1001 by offset
    starts), or, in a smaller registry, the start of its last full page, so that the page holds 50 rows
    (one page at least)."""
    return max(PAGE_SIZE, min(DEEP_ROWS, (visible - PAGE_SIZE) // PAGE_SIZE * PAGE_SIZE))


def cursor_key(cursor: str) -> tuple[str, Any, str]:
    """The sort, key and slug a registry cursor holds (``registry.services.listing.Keyset.encode``: URL-safe
    base64 of a JSON [sort, key, slug], unpadded): what the runner checks Datasette's keyset against."""
    sort, value, slug = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return sort, value, slug


def queries(detail_slug: str, right: str, country: str, depth: int = DEEP_ROWS,
            after: tuple[str, str] = ("", "")) -> list[Query]:
    """The seven queries of issue 10, plus cursor pagination, with the given sample values.

    ``depth`` is how many rows come before the cursor's page (a multiple of the page size, at least one
    page) and ``after`` the (updated_at, slug) of the last of them in Datasette's export, which its keyset
    query resumes after; the registry's cursor is the ``links.next`` of page ``depth / 50``.
    """
    total = f"(SELECT count(*) FROM practices WHERE {VISIBLE}) AS total"
    fts = "SELECT rowid FROM practices_fts WHERE practices_fts MATCH :q"
    return [
        Query("list, page 1, with total", f"/api/v1/practices?page_size={PAGE_SIZE}", "list_page_1",
              f"SELECT slug, title, updated_at, {total} FROM practices WHERE {VISIBLE} {NEWEST} LIMIT {PAGE_SIZE}"),
        Query("filter right + country", f"/api/v1/practices?right={right}&country={country}&page_size={PAGE_SIZE}",
              "filter_right_country",
              f"SELECT slug, title, updated_at FROM practices WHERE {VISIBLE} AND country = :country AND id IN"
              f" (SELECT practice_id FROM practice_rights WHERE right_slug = :right) {NEWEST} LIMIT {PAGE_SIZE}",
              f"right={right}&country={country}"),
        Query(f"full-text '{TERM}', newest first",
              f"/api/v1/practices?q={TERM}&sort=-updated_at&page_size={PAGE_SIZE}", "search_newest",
              f"SELECT slug, title, updated_at FROM practices WHERE {VISIBLE} AND id IN ({fts}) {NEWEST}"
              f" LIMIT {PAGE_SIZE}", f"q={TERM}"),
        Query(f"full-text '{TERM}', relevance", f"/api/v1/practices?q={TERM}&page_size={PAGE_SIZE}", "search_relevance",
              "SELECT p.slug, p.title, -bm25(practices_fts, 1.0, 0.4, 0.2) AS rank FROM practices_fts"
              f" JOIN practices AS p ON p.id = practices_fts.rowid WHERE practices_fts MATCH :q AND p.{VISIBLE}"
              f" ORDER BY rank DESC, p.slug LIMIT {PAGE_SIZE}", f"q={TERM}", ranked_by_engine=True),
        Query("one practice with relations", f"/api/v1/practices/{detail_slug}", "detail",
              "SELECT p.*, (SELECT group_concat(right_slug) FROM practice_rights WHERE practice_id = p.id) AS rights"
              " FROM practices AS p WHERE slug = :slug", f"slug={detail_slug}",
              registry_slugs=_detail_registry, datasette_slugs=_detail_datasette),
        Query(f"page {DEEP_PAGE} (offset)", f"/api/v1/practices?page={DEEP_PAGE}&page_size={PAGE_SIZE}",
              "deep_page_offset",
              f"SELECT slug, title, updated_at FROM practices WHERE {VISIBLE} {NEWEST} LIMIT {PAGE_SIZE}"
              f" OFFSET {(DEEP_PAGE - 1) * PAGE_SIZE}"),
        Query("facets right + country", f"/api/v1/practices?facets=right,country&page_size={PAGE_SIZE}", "facets",
              f"SELECT 'right' AS facet, right_slug AS value, count(*) AS count FROM practice_rights WHERE practice_id"
              f" IN (SELECT id FROM practices WHERE {VISIBLE}) GROUP BY right_slug UNION ALL SELECT 'country',"
              f" country, count(*) FROM practices WHERE {VISIBLE} GROUP BY country",
              registry_slugs=_facet_pairs_registry, datasette_slugs=_facet_pairs_datasette),
        # Keyset: the page after a given (updated_at, slug), newest first then by slug (a mixed order: the
        # later rows are the older ones, or the same moment with a greater slug).
        Query("cursor pagination (keyset, deep)",
              f"/api/v1/practices?page_size={PAGE_SIZE}&page={depth // PAGE_SIZE}", "deep_page_keyset",
              f"SELECT slug, title, updated_at FROM practices WHERE {VISIBLE} AND updated_at <= :at"
              f" AND (updated_at < :at OR slug > :slug) {NEWEST} LIMIT {PAGE_SIZE}",
              urlencode({"at": after[0], "slug": after[1]}), follow_next=True,
              note=f"the page after row {depth:,} of the newest-first list"),
    ]

"""The benchmark's own logic (``bench/``): its cursor, its keyset SQL, its targets, its notes, its memory sampler.

Nothing here times anything: speed is measured by ``make bench``, never asserted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from bench import export, measure, report
from bench.measure import Peak, Timing
from bench.queries import DEEP_ROWS, MATCHES, PAGE_SIZE, cursor_depth, cursor_key, queries
from registry.models import Practice
from registry.services.listing import Keyset


def _plan(depth: int = DEEP_ROWS, after: tuple[str, str] = ("", "")):
    return queries("synthetic-demo-00001", "housing", "FR", depth=depth, after=after)


@pytest.mark.parametrize(("visible", "depth"), [
    (100_000, DEEP_ROWS), (1_000_000, DEEP_ROWS), (50_050, 50_000), (50_049, 49_950), (10_000, 9_950),
    (10_006, 9_950), (120, 50), (3, 50),
])
def test_the_deep_cursor_starts_at_page_1001_or_at_the_last_full_page(visible: int, depth: int) -> None:
    assert cursor_depth(visible) == depth
    assert depth % PAGE_SIZE == 0


def test_the_cursor_query_asks_the_registry_for_the_page_before_and_datasette_after_the_same_row() -> None:
    keyset = _plan(depth=9_950, after=("2025-01-02 03:04:05.000006", "synthetic-demo-00050"))[-1]
    assert keyset.follow_next
    assert keyset.registry == f"/api/v1/practices?page_size={PAGE_SIZE}&page=199"
    assert dict(parse_qsl(keyset.params)) == {"at": "2025-01-02 03:04:05.000006", "slug": "synthetic-demo-00050"}


def test_a_registry_cursor_decodes_to_its_sort_key_and_slug() -> None:
    newest = Keyset("-updated_at", Practice.updated_at, True, Practice.slug, datetime, Practice.id)
    at = datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    cursor = newest.encode(at, "synthetic-demo-00042")
    assert cursor_key(cursor) == ("-updated_at", at.isoformat(), "synthetic-demo-00042")
    assert newest.decode(cursor) == (at, "synthetic-demo-00042")


def test_datasettes_keyset_query_gives_the_rows_an_offset_gives_even_with_ties_on_updated_at() -> None:
    """Newest first, then by slug ascending: a row-value comparison would take the wrong side of a tie."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE practices (slug TEXT, title TEXT, status TEXT, deleted_at TEXT, updated_at TEXT)")
    rows = [(f"s{n:03}", "t", "published" if n % 7 else "draft", None, f"2025-01-01 00:00:{n // 3:02}.000000")
            for n in range(160)]
    db.executemany("INSERT INTO practices VALUES (?, ?, ?, ?, ?)", rows)
    plan = _plan()
    offset_sql = next(q for q in plan if q.canned == "deep_page_offset").sql
    keyset_sql = plan[-1].sql
    newest = [tuple(r) for r in db.execute(offset_sql.split(" LIMIT")[0])]
    assert len(newest) > PAGE_SIZE + 20
    for row in range(1, len(newest)):
        after = {"at": newest[row - 1][2], "slug": newest[row - 1][0]}
        assert [tuple(r) for r in db.execute(keyset_sql, after)] == newest[row:row + PAGE_SIZE]


def _timings(**by_query: tuple[float, float, float, float]) -> dict[str, dict[str, Timing]]:
    """{query name: (Datasette req/s, registry req/s, Datasette p50, registry p50)} as a quiet run's timings."""
    names = {q.canned: q.name for q in _plan()}
    return {names[canned]: {"datasette": Timing(d_rps, d_p50), "sqlite": Timing(r_rps, r_p50)}
            for canned, (d_rps, r_rps, d_p50, r_p50) in by_query.items()}


def _verdicts(found: list[report.Target], goal: str) -> dict[str, str]:
    return {t.query: t.verdict for t in found if t.goal.startswith(goal)}


def test_targets_say_which_are_met_and_by_how_much_the_others_miss() -> None:
    quiet = _timings(list_page_1=(100, 250, 5, 4), facets=(50, 25, 30, 40), search_newest=(100, 300, 10, 20),
                     detail=(300, 450, 3, 12), deep_page_keyset=(100, 200, 5, 4))
    found = report.targets("sqlite", 100_000, _plan(), quiet, 45.0,
                           [Peak("sqlite", "worker", 1, 160_000, max_anon_kb=60_000),
                            Peak("sqlite", "worker", 2, 90_000, max_anon_kb=70_000),
                            Peak("datasette", "process", 3, 500_000, max_anon_kb=400_000)])
    plan = {q.canned: q.name for q in _plan()}
    rps = _verdicts(found, "req/s")
    assert rps[plan["list_page_1"]] == "yes"
    assert rps[plan["facets"]] == "no: 4.0x short"
    assert rps[plan["detail"]] == "yes"  # 1.5x is its goal
    assert rps[plan["filter_right_country"]] == "n/a: not timed"
    assert plan["deep_page_offset"] not in rps  # no req/s goal for the deep page by offset
    p50 = _verdicts(found, "lone p50")
    assert p50[plan["search_newest"]] == "yes"  # 25 ms for full-text
    assert p50[plan["detail"]] == "no: 1.2x over"
    assert _verdicts(found, "deep page by cursor")[plan["deep_page_keyset"]] == "no: 1.1x short"  # 0.8x of page 1
    assert _verdicts(found, "import")[""] == "yes"
    rss = next(t for t in found if t.goal.startswith("RSS"))
    assert (rss.figure, rss.met) == ("164 MB (largest of 2 workers; private part at most 72 MB)", False)
    assert not any(t.goal.startswith("PostgreSQL") for t in found)


def test_postgresql_is_held_within_one_and_a_half_times_sqlite_on_req_s_and_p50() -> None:
    names = {q.canned: q.name for q in _plan()}
    quiet = {names["list_page_1"]: {"postgresql": Timing(80, 6), "datasette": Timing(40, 5)},
             names["facets"]: {"postgresql": Timing(50, 30), "datasette": Timing(40, 5)}}
    sqlite = {names["list_page_1"]: {"sqlite": Timing(100, 5)}, names["facets"]: {"sqlite": Timing(100, 10)}}
    found = report.targets("postgresql", 100_000, _plan(), quiet, None, [], sqlite=sqlite)
    within = _verdicts(found, "PostgreSQL within")
    assert within[names["list_page_1"]] == "yes"
    assert within[names["facets"]] == "no: req/s 2.0x lower, p50 3.0x higher"
    assert within[names["detail"]].startswith("n/a")
    assert _verdicts(found, "import")[""].startswith("n/a")


def test_a_million_is_compared_with_the_figures_at_100k_only_when_both_exist() -> None:
    names = {q.canned: q.name for q in _plan()}
    at_1m = {names["detail"]: {"sqlite": Timing(100, 8), "datasette": Timing(50, 5)}}
    at_100k = {names["detail"]: {"sqlite": Timing(150, 5), "datasette": Timing(50, 5)}}
    found = report.targets("sqlite", 1_000_000, _plan(), at_1m, None, [], at_100k=at_100k)
    assert _verdicts(found, "at 1,000,000")[names["detail"]] == "yes"
    alone = report.targets("sqlite", 1_000_000, _plan(), at_1m, None, [])
    assert _verdicts(alone, "at 1,000,000")["every query"].startswith("n/a")


def _run(tmp_path: Path) -> report.Run:
    plan = _plan()
    return report.Run(
        count=10_000, engines=["sqlite"], exported=10_006, load_seconds={"sqlite": 9.5}, reused={"sqlite": False},
        plan=plan, depth=9_950, checks={q.name: {"sqlite": "same (50 compared)"} for q in plan},
        results={"quiet": _timings(list_page_1=(100, 250, 5, 4))}, floor={q.name: (1.0, 2.0) for q in plan},
        patches={}, peaks=[Peak("sqlite", "worker", 11, 100_000, "facets (sqlite)")], rss_samples=3,
        rss_interval=0.5, datasette_venv=tmp_path / "none", elapsed=60.0, duration=3, lone=10)


def test_the_report_keeps_the_hand_written_notes_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "bench" / "RESULTS.md"
    path.parent.mkdir()
    report.write(path, _run(tmp_path), "sqlite")
    first = path.read_text()
    assert report.NOTES_PLACEHOLDER in first
    assert "| req/s >= 2x Datasette's | SQLite, 100,000 | list, page 1, with total | 2.50x | yes |" in first
    notes = "Facets: the EXPLAIN plan shows\n\n    SCAN practices\n\nso the grouping reads every row."
    path.write_text(first.replace(report.NOTES_PLACEHOLDER, notes))
    report.write(path, _run(tmp_path), "sqlite")
    second = path.read_text()
    assert f"{report.NOTES_START}\n{notes}\n{report.NOTES_END}" in second
    assert report.NOTES_PLACEHOLDER not in second
    assert second.count(report.NOTES_START) == 1


def test_the_memory_sampler_finds_a_masters_workers_and_keeps_their_peaks() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert child.pid in measure.children(os.getpid())
        assert (measure.rss_kb(child.pid) or 0) > 0
        sampler = measure.RssSampler({"sqlite": os.getpid()}, {"datasette": os.getpid()})
        sampler.doing = "list (sqlite)"
        sampler.sample()
    finally:
        child.communicate(b"")
    assert measure.rss_kb(child.pid) is None
    peaks = {(p.server, p.role, p.pid): p for p in sampler.peaks.values()}
    worker = peaks[("sqlite", "worker", child.pid)]
    assert worker.rss_kb >= worker.anon_kb > 0
    assert worker.max_anon_kb == worker.anon_kb
    assert peaks[("sqlite", "worker", child.pid)].doing == "list (sqlite)"
    assert peaks[("datasette", "process", os.getpid())].rss_kb > 0


def test_the_match_check_counts_the_matches_and_which_of_a_page_are_among_them(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "export.sqlite3")
    db.executescript(export.SCHEMA)
    texts = {1: "aide au logement", 2: "logement social", 3: "santé", 4: "logement d'urgence"}
    for number, body in texts.items():
        status = "draft" if number == 4 else "published"
        db.execute("INSERT INTO practices (id, slug, title, status, updated_at, lead_local_government)"
                   " VALUES (?, ?, 't', ?, '2025-01-01', 'x')", (number, f"s{number}", status))
        db.execute("INSERT INTO practices_fts (rowid, title, body, place) VALUES (?, 't', ?, '')", (number, body))
    check = export.metadata("datasette", _plan())["databases"]["datasette"]["queries"][MATCHES[0]]["sql"]
    assert check == MATCHES[1]
    rows = db.execute(check, {"q": "logement", "slugs": json.dumps(["s1", "s3", "s4"])}).fetchall()
    assert rows == [(2, 1)]  # s1 and s2 match and are shown; of the page, s1 only (s3 does not match, s4 is a draft)


def test_a_postgresql_report_alone_compares_with_sqlites_earlier_figures_and_says_when_they_were_taken(
        tmp_path: Path) -> None:
    path = tmp_path / "RESULTS-postgresql.md"
    run = _run(tmp_path)
    name = run.plan[0].name
    run.engines, run.load_seconds, run.reused = ["postgresql"], {"postgresql": None}, {"postgresql": True}
    run.checks = {q.name: {"postgresql": "same (50 compared)"} for q in run.plan}
    run.results = {"quiet": {name: {"postgresql": Timing(50, 6), "datasette": Timing(100, 3)}}}
    earlier = ({name: {"sqlite": Timing(100, 5)}}, "2025-06-01 10:00:00")
    report.write(path, run, "postgresql", sqlite_earlier=earlier, command="python -m bench.run --engine postgresql")
    text = path.read_text()
    assert "SQLite's figures at this N from an earlier run (2025-06-01 10:00:00)" in text
    assert f"| {name} | req/s 0.50x, lone p50 1.20x | no: req/s 2.0x lower |" in text
    assert "`python -m bench.run --engine postgresql`" in text
    assert "reused from an earlier build" in text

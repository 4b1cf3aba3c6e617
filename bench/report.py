"""``bench/RESULTS.md`` (and ``bench/RESULTS-postgresql.md``): machine, versions, commands, the targets of
issue 10 computed from the figures, the tables, each process's peak memory, the in-process floor, and the
hand-written "Why the misses" kept from the file being replaced (between ``NOTES_START`` and ``NOTES_END``).
"""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Peak, Timing
from bench.queries import Query
from registry.config import DEFAULT_ANSWER_CACHE_MB

NOTES_START, NOTES_END = "<!-- notes -->", "<!-- /notes -->"
NOTES_PLACEHOLDER = ("*To be written by hand: for each target missed above, by how much and why, with the EXPLAIN"
                     " plan. `make bench` keeps what stands between the two `notes` markers of this section when it"
                     " rewrites this file.*")
ENGINE_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

#: Issue 10, point 3: the registry's req/s at least this many times Datasette's, per query (canned name).
RPS_GOALS = {"list_page_1": 2.0, "filter_right_country": 2.0, "search_newest": 2.0, "search_relevance": 2.0,
             "deep_page_keyset": 2.0, "facets": 2.0, "detail": 1.5}
#: Lone p50 at most this many ms: 10 on every query but full-text on a term matching most rows (25 there).
P50_GOAL_MS = 10.0
P50_FULL_TEXT_GOAL_MS = 25.0
FULL_TEXT = ("search_newest", "search_relevance")
#: "Deep pages by cursor as fast as page 1": the cursor page's req/s at least this share of page 1's.
CURSOR_SHARE = 0.9
#: PostgreSQL within 1.5x of SQLite; 1M within 2x of 100k; 100k imported in under 60 s; workers under 150 MB.
ENGINE_FACTOR, SCALE_FACTOR, IMPORT_SECONDS, WORKER_MB = 1.5, 2.0, 60.0, 150.0
TARGET_N, LARGE_N = 100_000, 1_000_000


@dataclass(frozen=True)
class Target:
    """One target of issue 10 against one figure of this run: ``met`` None when this run cannot tell."""

    goal: str
    at: str
    query: str
    figure: str
    met: bool | None
    verdict: str


def _at_least(value: float, goal: float) -> tuple[bool, str]:
    return (True, "yes") if value >= goal else (False, f"no: {goal / value:.1f}x short" if value else "no")


def _at_most(value: float, goal: float) -> tuple[bool, str]:
    return (True, "yes") if value <= goal else (False, f"no: {value / goal:.1f}x over")


def _within(ours: Timing, theirs: Timing, factor: float) -> tuple[bool | None, str, str]:
    """Whether ``ours`` is within ``factor`` of ``theirs`` on req/s and on lone p50: met, figure, verdict."""
    if not (ours.rps and theirs.rps and ours.p50_ms and theirs.p50_ms):
        return None, "-", "n/a: not timed"
    slower_rps, slower_p50 = theirs.rps / ours.rps, ours.p50_ms / theirs.p50_ms
    figure = f"req/s {ours.rps / theirs.rps:.2f}x, lone p50 {slower_p50:.2f}x"
    misses = []
    if slower_rps > factor:
        misses.append(f"req/s {slower_rps:.1f}x lower")
    if slower_p50 > factor:
        misses.append(f"p50 {slower_p50:.1f}x higher")
    return (not misses), figure, ("yes" if not misses else "no: " + ", ".join(misses))


def targets(engine: str, count: int, plan: list[Query], quiet: Mapping[str, Mapping[str, Timing]],
            load_seconds: float | None, peaks: list[Peak], sqlite: Mapping[str, Mapping[str, Timing]] | None = None,
            at_100k: Mapping[str, Mapping[str, Timing]] | None = None) -> list[Target]:
    """The targets of issue 10 (points 3 and 4) against this run's figures for ``engine`` (quiet run).

    ``sqlite`` holds SQLite's figures at the same N (for PostgreSQL's "within 1.5x"), ``at_100k`` this
    engine's at 100k (for "at 1M within 2x"); each None when not measured.
    """
    out: list[Target] = []
    at_target = f"{ENGINE_LABEL['sqlite']}, {TARGET_N:,}"
    for query in plan:
        ours, theirs = quiet.get(query.name, {}).get(engine), quiet.get(query.name, {}).get("datasette")
        goal = RPS_GOALS.get(query.canned)
        if goal is not None:
            text = f"req/s >= {goal:g}x Datasette's"
            if ours and theirs and ours.rps and theirs.rps:
                met, verdict = _at_least(ours.rps / theirs.rps, goal)
                out.append(Target(text, at_target, query.name, f"{ours.rps / theirs.rps:.2f}x", met, verdict))
            else:
                out.append(Target(text, at_target, query.name, "-", None, "n/a: not timed"))
        ms = P50_FULL_TEXT_GOAL_MS if query.canned in FULL_TEXT else P50_GOAL_MS
        text = f"lone p50 <= {ms:g} ms" + (" (full-text on a frequent term)" if query.canned in FULL_TEXT else "")
        if ours and ours.p50_ms is not None:
            met, verdict = _at_most(ours.p50_ms, ms)
            out.append(Target(text, at_target, query.name, f"{ours.p50_ms:.1f} ms", met, verdict))
        else:
            out.append(Target(text, at_target, query.name, "-", None, "n/a: not timed"))
    by_canned = {q.canned: q.name for q in plan}
    if "deep_page_keyset" in by_canned and "list_page_1" in by_canned:
        deep = quiet.get(by_canned["deep_page_keyset"], {}).get(engine)
        first = quiet.get(by_canned["list_page_1"], {}).get(engine)
        text = f"deep page by cursor as fast as page 1 (req/s >= {CURSOR_SHARE:g}x page 1's)"
        if deep and first and deep.rps and first.rps:
            met, verdict = _at_least(deep.rps / first.rps, CURSOR_SHARE)
            figure = f"{deep.rps / first.rps:.2f}x (p50 {deep.p50_ms or 0:.1f} / {first.p50_ms or 0:.1f} ms)"
            out.append(Target(text, at_target, by_canned["deep_page_keyset"], figure, met, verdict))
        else:
            out.append(Target(text, at_target, by_canned["deep_page_keyset"], "-", None, "n/a: not timed"))
    if engine == "postgresql":
        text = f"{ENGINE_LABEL['postgresql']} within {ENGINE_FACTOR:g}x of {ENGINE_LABEL['sqlite']} (req/s and p50)"
        for query in plan:
            ours = quiet.get(query.name, {}).get(engine)
            theirs = (sqlite or {}).get(query.name, {}).get("sqlite")
            if ours and theirs:
                met, figure, verdict = _within(ours, theirs, ENGINE_FACTOR)
            else:
                met, figure, verdict = None, "-", "n/a: no SQLite figures at this N (`--engine both`)"
            out.append(Target(text, f"{ENGINE_LABEL['postgresql']}, {TARGET_N:,}", query.name, figure, met, verdict))
    text = f"at {LARGE_N:,} within {SCALE_FACTOR:g}x of the {TARGET_N:,} figure (req/s and p50)"
    if count == LARGE_N and at_100k is not None:
        for query in plan:
            ours, before = quiet.get(query.name, {}).get(engine), at_100k.get(query.name, {}).get(engine)
            met, figure, verdict = _within(ours, before, SCALE_FACTOR) if ours and before else (None, "-", "n/a")
            out.append(Target(text, f"{ENGINE_LABEL[engine]}, {LARGE_N:,}", query.name, figure, met, verdict))
    else:
        why = "a run at 1,000,000 with a 100,000 run's figures in bench/work"
        out.append(Target(text, f"{ENGINE_LABEL[engine]}, {LARGE_N:,}", "every query", "-", None, f"n/a: needs {why}"))
    text = f"import of {TARGET_N:,} practices in under {IMPORT_SECONDS:g} s (`demo --bulk`)"
    if load_seconds is None:
        out.append(Target(text, f"{TARGET_N:,}", "", "-", None, "n/a: database reused, load time unknown"))
    elif count == TARGET_N:
        met, verdict = _at_most(load_seconds, IMPORT_SECONDS)
        out.append(Target(text, f"{TARGET_N:,}", "", f"{load_seconds:.1f} s", met, verdict))
    else:
        out.append(Target(text, f"{TARGET_N:,}", "", f"{count:,} in {load_seconds:.1f} s", None,
                          f"n/a: this run is at {count:,}"))
    workers = [peak for peak in peaks if peak.server == engine and peak.role == "worker"]
    text = f"RSS per gunicorn worker under {WORKER_MB:g} MB during the benchmark"
    if workers:
        top = max(workers, key=lambda peak: peak.rss_kb)
        met, verdict = _at_most(top.mb, WORKER_MB)
        figure = (f"{top.mb:.0f} MB (largest of {len(workers)} workers; private part at most"
                  f" {max(peak.anon_mb for peak in workers):.0f} MB)")
        out.append(Target(text, f"{LARGE_N:,}", "", figure, met,
                          verdict if count == LARGE_N else f"{verdict} (at {count:,})"))
    else:
        out.append(Target(text, f"{LARGE_N:,}", "", "-", None, "n/a: not sampled"))
    return out


def kept_notes(path: Path) -> str:
    """What stands between the notes markers of the file at ``path`` (the placeholder when there is none)."""
    try:
        text = path.read_text()
    except OSError:
        return NOTES_PLACEHOLDER
    found = re.search(re.escape(NOTES_START) + r"\n?(.*?)\n?" + re.escape(NOTES_END), text, re.DOTALL)
    return found.group(1) if found else NOTES_PLACEHOLDER


def _output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


def answer_cache_mb() -> str:
    """The answer cache the registries ran with (their environment is this process's)."""
    return os.environ.get("REGISTRY_ANSWER_CACHE_MB", str(DEFAULT_ANSWER_CACHE_MB))


def answer_cache_meaning() -> str:
    """What ``answer_cache_mb`` means, for the default and for none."""
    if answer_cache_mb() == str(DEFAULT_ANSWER_CACHE_MB):
        return " (the default: whole answers kept per worker until the data changes, `registry/api/remembered.py`)"
    return " (0: every answer built afresh)" if answer_cache_mb() == "0" else ""


def machine() -> list[str]:
    cpu = "?"
    memory = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) // 1024} MiB"
            break
    return [f"- nproc: {_output(['nproc'])}", f"- CPU: {cpu}", f"- memory: {memory}",
            f"- system: {platform.platform()}"]


GUNICORN_VERSION = "import gunicorn; print(gunicorn.__version__)"


def versions(root: Path, datasette_venv: Path, engines: list[str], postgres_version: str | None) -> list[str]:
    lines = [
        f"- Python: {sys.version.split()[0]}; SQLite (Python's sqlite3): {sqlite3.sqlite_version}",
        f"- Datasette: {_output([str(datasette_venv / 'bin' / 'datasette'), '--version'])}",
        f"- gunicorn: {_output([str(root / '.venv' / 'bin' / 'python'), '-c', GUNICORN_VERSION])}",
        f"- wrk: {_output(['wrk', '--version'])}",
    ]
    if "postgresql" in engines:
        lines.append(f"- PostgreSQL: {postgres_version or '?'}")
    return lines


def _n(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return "-" if not ours or not theirs else f"{ours / theirs:.2f}x"


def table(engine: str, plan: list[Query], checks: Mapping[str, Mapping[str, str]],
          results: Mapping[str, Mapping[str, Timing]], other: str | None = None) -> list[str]:
    """Datasette against ``engine``'s registry, query by query; with ``other`` (the other engine, timed in the
    same run), its req/s and lone p50 beside, and PostgreSQL / SQLite ratios."""
    head = ("| query | answers | Datasette req/s | registry req/s | registry/Datasette req/s"
            " | lone p50 Datasette / registry (ms) | lone p99 Datasette / registry (ms)"
            " | lone requests D / R | errors |")
    rule = "|---|---|---:|---:|---:|---|---|---|---:|"
    if other:
        head += f" {ENGINE_LABEL[other]} req/s | PostgreSQL/SQLite req/s | {ENGINE_LABEL[other]} lone p50 (ms)" \
                " | PostgreSQL/SQLite lone p50 |"
        rule += "---:|---:|---:|---:|"
    lines = [head, rule]
    for query in plan:
        timing = results.get(query.name, {})
        ours, theirs = timing.get(engine), timing.get("datasette")
        check = checks.get(query.name, {}).get(engine, "-")
        if ours is None or theirs is None:
            lines.append(f"| {query.name} | {check} | - | - | - | - | - | - | - |" + (" - | - | - | - |" if other
                                                                                     else ""))
            continue
        line = (f"| {query.name} | {check} | {_n(theirs.rps)} | {_n(ours.rps)} | {_ratio(ours.rps, theirs.rps)}"
                f" | {_n(theirs.p50_ms)} / {_n(ours.p50_ms)} | {_n(theirs.p99_ms)} / {_n(ours.p99_ms)}"
                f" | {theirs.lone_count} / {ours.lone_count} | {theirs.errors + ours.errors} |")
        if other:
            alt = timing.get(other)
            pg, lite = (ours, alt) if engine == "postgresql" else (alt, ours)
            line += (f" {_n(alt.rps if alt else None)} | {_ratio(pg and pg.rps, lite and lite.rps)}"
                     f" | {_n(alt.p50_ms if alt else None)} | {_ratio(pg and pg.p50_ms, lite and lite.p50_ms)} |")
        lines.append(line)
    return lines


def targets_table(found: list[Target]) -> list[str]:
    lines = ["| target | stated at | query | figure | met |", "|---|---|---|---|---|"]
    lines += [f"| {t.goal} | {t.at} | {t.query or '-'} | {t.figure} | {t.verdict} |" for t in found]
    return lines


def memory_table(peaks: list[Peak], samples: int, interval: float) -> list[str]:
    lines = [f"Resident memory of each process (`/proc/PID/status`), sampled every {interval:g} s ({samples} samples)"
             " from the servers' start to the end of the timed runs; the gunicorn workers are the masters' children."
             " *max RSS* is the largest VmRSS seen, split then into its private part (RssAnon) and its file-backed"
             " part (RssFile: the interpreter's and libraries' files, and any memory-mapped part of a database,"
             " shared with the page cache); *max private* is the largest RssAnon seen.", "",
             "| server | process | pid | max RSS (MB) | then private / file-backed (MB) | max private (MB) | while |",
             "|---|---|---:|---:|---|---:|---|"]
    lines += [f"| {ENGINE_LABEL.get(p.server, p.server.capitalize())} | {p.role} | {p.pid} | {p.mb:.0f}"
              f" | {p.anon_kb * 1024 / 1e6:.0f} / {p.file_kb * 1024 / 1e6:.0f} | {p.anon_mb:.0f} | {p.doing} |"
              for p in sorted(peaks, key=lambda p: (p.server, p.pid))]
    return lines


@dataclass
class Run:
    """What one benchmark run measured, for every engine it ran."""

    count: int
    engines: list[str]
    exported: int
    load_seconds: dict[str, float | None]
    reused: dict[str, bool]
    plan: list[Query]
    depth: int
    checks: dict[str, dict[str, str]]
    results: dict[str, dict[str, dict[str, Timing]]]
    floor: dict[str, tuple[float, float]]
    patches: dict[str, dict[str, tuple[int, int]]]
    peaks: list[Peak]
    rss_samples: int
    rss_interval: float
    datasette_venv: Path
    elapsed: float
    duration: int
    lone: int
    postgres_url: str | None = None
    postgres_version: str | None = None
    #: The 1, 5 and 15 min load averages when the run started and when it ended (other work on the machine).
    load: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())


Earlier = tuple[Mapping[str, Mapping[str, Timing]], str]


def write(path: Path, run: Run, engine: str, *, sqlite_earlier: Earlier | None = None,
          at_100k: Earlier | None = None, command: str = "python -m bench.run") -> None:
    """The report of ``engine`` in ``run`` (the other engine's figures beside when it ran too), keeping the
    notes of the file already at ``path``. ``sqlite_earlier`` and ``at_100k`` are figures of earlier runs (and
    when they were written) the targets compare with: SQLite's at this N when it did not run now, this
    engine's at 100k."""
    root = Path(__file__).resolve().parent.parent
    other = next((e for e in run.engines if e != engine), None)
    label = ENGINE_LABEL[engine]
    quiet = run.results.get("quiet", {})
    sqlite = quiet if other == "sqlite" else (sqlite_earlier[0] if sqlite_earlier else None)
    found = targets(engine, run.count, run.plan, quiet, run.load_seconds.get(engine), run.peaks, sqlite,
                    at_100k[0] if at_100k else None)
    earlier = []
    if sqlite is not None and other != "sqlite" and sqlite_earlier:
        earlier.append(f"SQLite's figures at this N from an earlier run ({sqlite_earlier[1]})")
    if at_100k:
        earlier.append(f"the {TARGET_N:,} figures from an earlier run ({at_100k[1]})")
    load = run.load_seconds.get(engine)
    built = ("reused from an earlier build" + (f" that took {load:.1f} s" if load is not None else "")
             if run.reused.get(engine) else f"{load:.1f} s, including the app's start")
    database = (f"`{run.postgres_url}` (created by the runner; `VACUUM (ANALYZE)` after the load, the state"
                " autovacuum reaches within a minute; served from a copy made with `CREATE DATABASE ... TEMPLATE`)"
                if engine == "postgresql" else "`bench/work/registry.sqlite3` (served from a copy made with"
                " SQLite's backup API)")
    lines = [
        f"# Benchmark: the registry on {label} and Datasette at N = {run.count:,} synthetic practices",
        "",
        "Written by `make bench` (`python -m bench.run`); every practice is synthetic (`synthetic-demo-*`, made by"
        " the demo generator over the seeded reference data). All servers on 127.0.0.1, on this machine, in the"
        f" same run. The whole run took {run.elapsed / 60:.1f} min.",
        "",
        "## Machine", "", *machine(),
        f"- load average (1, 5, 15 min) at the start: {', '.join(f'{x:.2f}' for x in run.load[0]) or '?'};"
        f" at the end: {', '.join(f'{x:.2f}' for x in run.load[1]) or '?'} (above 0 when other work shared the"
        " machine with this run)", "",
        "## Versions", "", *versions(root, run.datasette_venv, run.engines, run.postgres_version), "",
        "## Commands", "",
        f"- run: `{command}`",
        f"- data: `flask --app registry db upgrade && flask --app registry seed && flask --app registry demo --count"
        f" {run.count} --bulk` ({built}) into {database}; export for Datasette: `bench/export.py` from the SQLite"
        f" build of the same generator ({run.exported:,} practices, FTS5 over the registry's own index text, the"
        " link tables, indexes on the newest-first order, country, status and the rights link)",
        "- registry: `gunicorn --bind 127.0.0.1:PORT --workers 2 wsgi:app`"
        + (" (SQLite and PostgreSQL each their own, both up during the run)" if other else "")
        + f", with `REGISTRY_ANSWER_CACHE_MB={answer_cache_mb()}`" + answer_cache_meaning(),
        "- Datasette: `datasette serve datasette.sqlite3 --host 127.0.0.1 --port 8712 --metadata metadata.json"
        " --setting sql_time_limit_ms ... --setting num_sql_threads 3` (one canned query per row below)",
        f"- throughput: `wrk -t 2 -c 8 -d {run.duration}s --timeout 30s URL`, each registry then Datasette, query by"
        " query, each server drained (a lone request back to its quickest) before each measurement",
        f"- lone latency: {run.lone} sequential requests on one keep-alive connection (or as many as fit in the"
        " time budget: the *lone requests* column), p50 and p99",
        f"- cursor pagination: the registry's `links.next` of page {run.depth // 50:,} (50 a page), fetched once"
        f" before timing: the page after row {run.depth:,} of the newest-first list; Datasette's canned keyset"
        " query gets that row's (updated_at, slug) from the export",
        "- before timing, each query's answer from each registry and Datasette is compared (practice slugs in"
        " order; facet value/count pairs; the detail's slug and rights): the *answers* column",
        "",
        "## Targets (issue 10, points 3 and 4)", "",
        f"Computed from this run's quiet figures for {label} at N = {run.count:,}. The issue states each target at"
        " the N (and engine) of its *stated at* column; at another N the verdict is indicative only."
        + (f" Compared with {' and '.join(earlier)}, from `bench/work/results-*.json`." if earlier else ""), "",
        *targets_table(found), "",
        "## Why the misses", "", NOTES_START, kept_notes(path), NOTES_END, "",
    ]
    for phase, runs in run.results.items():
        lines += [f"## Results: {phase}", ""]
        if phase in run.patches:
            sent = ", ".join(f"{ENGINE_LABEL[e]}: {s} sent, {f} not answered 2xx" for e, (s, f) in
                             run.patches[phase].items())
            lines += [f"One PATCH per second to each registry during this run ({sent}).", ""]
        lines += [*table(engine, run.plan, run.checks, runs, other), ""]
    lines += ["## Memory", "", *memory_table(run.peaks, run.rss_samples, run.rss_interval), ""]
    lines += ["## In-process floor", "",
              "The Datasette SQL of each query run in-process on the export via `sqlite3`, rows encoded with"
              " `json.dumps`: what any server over this file cannot beat.", "",
              "| query | p50 (ms) | p99 (ms) |", "|---|---:|---:|"]
    lines += [f"| {name} | {_n(p50, 2)} | {_n(p99, 2)} |" for name, (p50, p99) in run.floor.items()]
    path.write_text("\n".join(lines) + "\n")

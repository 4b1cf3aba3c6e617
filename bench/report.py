"""``bench/RESULTS.md``: machine, versions, commands, the table, the in-process floor."""

from __future__ import annotations

import platform
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.measure import Timing
from bench.queries import Query


def _output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


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


def versions(root: Path, datasette_venv: Path) -> list[str]:
    return [
        f"- Python: {sys.version.split()[0]}; SQLite (Python's sqlite3): {sqlite3.sqlite_version}",
        f"- Datasette: {_output([str(datasette_venv / 'bin' / 'datasette'), '--version'])}",
        f"- gunicorn: {_output([str(root / '.venv' / 'bin' / 'python'), '-c', GUNICORN_VERSION])}",
        f"- wrk: {_output(['wrk', '--version'])}",
    ]


GUNICORN_VERSION = "import gunicorn; print(gunicorn.__version__)"


def _n(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return "-" if not ours or not theirs else f"{ours / theirs:.2f}x"


def table(plan: list[Query], checks: dict[str, str], results: dict[str, dict[str, Timing]]) -> list[str]:
    lines = ["| query | answers | Datasette req/s | registry req/s | registry/Datasette req/s"
             " | lone p50 Datasette / registry (ms) | lone p99 Datasette / registry (ms)"
             " | lone requests D / R | errors |",
             "|---|---|---:|---:|---:|---|---|---|---:|"]
    for query in plan:
        timing = results.get(query.name, {})
        ours, theirs = timing.get("registry"), timing.get("datasette")
        if ours is None or theirs is None:
            lines.append(f"| {query.name} | {checks[query.name]} | - | - | - | - | - | - | - |")
            continue
        lines.append(
            f"| {query.name} | {checks[query.name]} | {_n(theirs.rps)} | {_n(ours.rps)}"
            f" | {_ratio(ours.rps, theirs.rps)}"
            f" | {_n(theirs.p50_ms)} / {_n(ours.p50_ms)} | {_n(theirs.p99_ms)} / {_n(ours.p99_ms)}"
            f" | {theirs.lone_count} / {ours.lone_count} | {theirs.errors + ours.errors} |")
    return lines


def write(path: Path, *, count: int, exported: int, load_seconds: float, plan: list[Query], checks: dict[str, str],
          results: dict[str, dict[str, dict[str, Timing]]], floor: dict[str, tuple[float, float]],
          datasette_venv: Path, elapsed: float, duration: int, lone: int, patches: dict[str, tuple[int, int]],
          **_: Any) -> None:
    root = path.resolve().parent.parent
    lines = [
        f"# Benchmark: the registry and Datasette at N = {count:,} synthetic practices",
        "",
        "Written by `make bench` (`python -m bench.run`); every practice is synthetic (`synthetic-demo-*`, made by"
        " the demo generator over the seeded reference data). Both servers on 127.0.0.1, on this machine, in the"
        f" same run. The whole run took {elapsed / 60:.1f} min.",
        "",
        "## Machine", "", *machine(), "",
        "## Versions", "", *versions(root, datasette_venv), "",
        "## Commands", "",
        f"- data: `flask --app registry db upgrade && flask --app registry seed && flask --app registry demo --count"
        f" {count} --bulk` ({load_seconds:.1f} s, including the app's start); export: `bench/export.py`"
        f" ({exported:,} practices, FTS5 over the registry's own index text, the link tables, indexes on the"
        " newest-first order, country, status and the rights link)",
        "- registry: `gunicorn --bind 127.0.0.1:8711 --workers 2 wsgi:app`",
        "- Datasette: `datasette serve datasette.sqlite3 --host 127.0.0.1 --port 8712 --metadata metadata.json"
        " --setting sql_time_limit_ms 20000 --setting num_sql_threads 3` (one canned query per row below)",
        f"- throughput: `wrk -t 2 -c 8 -d {duration}s --timeout 30s URL`, the registry then Datasette, query by query,"
        " each server drained (a lone request back to its quickest) before each measurement",
        f"- lone latency: {lone} sequential requests on one keep-alive connection (or as many as fit in 15 s: the"
        " *lone requests* column), p50 and p99",
        "- before timing, each query's answer from both servers is compared (practice slugs in order; facet"
        " value/count pairs; the detail's slug and rights): the *answers* column",
        "",
    ]
    for label, runs in results.items():
        lines += [f"## Results: {label}", ""]
        if label in patches:
            lines += [f"{patches[label][0]} PATCHes sent during this run ({patches[label][1]} not answered 2xx).", ""]
        lines += [*table(plan, checks, runs), ""]
    lines += ["## In-process floor", "",
              "The Datasette SQL of each query run in-process on the export via `sqlite3`, rows encoded with"
              " `json.dumps`: what any server over this file cannot beat.", "",
              "| query | p50 (ms) | p99 (ms) |", "|---|---:|---:|"]
    lines += [f"| {name} | {_n(p50, 2)} | {_n(p99, 2)} |" for name, (p50, p99) in floor.items()]
    path.write_text("\n".join(lines) + "\n")

"""``make bench``: the registry and Datasette side by side over the same N synthetic practices.

``python -m bench.run --count N [--engine sqlite|postgresql|both] [--reuse]`` (from the repository root, with
the project's .venv):

1. builds ``bench/work/registry.sqlite3``: migrate, seed, ``demo --count N --bulk`` (the bulk load path,
   ``registry.services.bulk``; every practice says it is synthetic in its title and provenance); with
   ``--engine postgresql`` or ``both``, also the PostgreSQL database of ``--postgres-url`` (dropped and created
   here) by the same commands, then ``VACUUM (ANALYZE)``. ``--reuse`` skips a build whose database already
   holds the N demo practices;
2. exports the SQLite build's practices into ``bench/work/datasette.sqlite3`` (``bench.export``) with a
   ``metadata.json`` of canned queries (``bench.queries``): PostgreSQL's answers are checked against it too;
3. installs Datasette 0.65.x into ``bench/.venv-datasette`` and wrk (``apt-get``) when missing;
4. serves a copy of each build (so that the PATCHes of a run never reach the next one) under gunicorn
   (2 workers) and Datasette on loopback, fetches the deep cursor, checks each registry answers the same
   practices as Datasette for each query, then times each query interleaved (each registry, then Datasette):
   wrk at 8 connections for a fixed duration, and a lone-latency loop (1 connection) for p50/p99, waiting for
   each to drain in between; then the same with one PATCH per second to each registry in the background (an
   admin token from ``flask tokens create``). Meanwhile a thread samples each process's resident memory;
5. writes ``bench/RESULTS.md`` (SQLite) and/or ``bench/RESULTS-postgresql.md``, with the targets of issue 10
   computed from the figures, the in-process floor (the same SQL via sqlite3 + json.dumps), and keeps the
   hand-written "Why the misses" of the file it replaces; the figures also go to
   ``bench/work/results-<engine>-<N>.json``, which later runs compare with (1M against 100k; PostgreSQL
   against SQLite when run alone).
Every loop is bounded in count and time (the bounds of the build steps grow with N); only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bench import export, measure, report
from bench.queries import Query, cursor_depth, queries

ROOT = Path(__file__).resolve().parent.parent
#: Where builds, exports and figures go; BENCH_WORK puts a second N beside the first (a 1M build next to 100k).
WORK = Path(os.environ.get("BENCH_WORK", ROOT / "bench" / "work")).resolve()
DATASETTE_VENV = ROOT / "bench" / ".venv-datasette"
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "registry"]
PORTS = {"sqlite": 8711, "postgresql": 8713}
DATASETTE_PORT = 8712
ENGINES = ("sqlite", "postgresql")
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_registry")
RSS_INTERVAL = 0.5


def step(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], env: dict[str, str], timeout: float) -> str:
    step(" ".join(command))
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout


def scale(count: int) -> float:
    """How much longer than at 100k the bounded steps may take: linear in N, never below the 100k bounds."""
    return max(1.0, count / 100_000)


def ensure_tools() -> None:
    if not (DATASETTE_VENV / "bin" / "datasette").exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True, timeout=300)
        subprocess.run([str(DATASETTE_VENV / "bin" / "pip"), "install", "--quiet", "datasette>=0.65,<0.66"],
                       check=True, timeout=600)
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, timeout=600)


def _admin(url: str) -> Any:
    """A psycopg connection (autocommit) to the maintenance database of the server at ``url``."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True)


def _database(url: str) -> str:
    name = make_url(url).database
    assert name, url
    return name


def recreate_postgres(url: str, template: str | None = None) -> None:
    """Drop the database of ``url`` and create it empty (or as a copy of ``template``)."""
    from psycopg import sql

    with _admin(url) as connection:
        name = sql.Identifier(_database(url))
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if template is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
        else:
            # FILE_COPY (PostgreSQL 15+) copies the files at once; the default copies every block through the WAL.
            fast = int(connection.execute("SHOW server_version_num").fetchone()[0]) >= 150000
            statement = "CREATE DATABASE {} TEMPLATE {}" + (" STRATEGY FILE_COPY" if fast else "")
            connection.execute(sql.SQL(statement).format(name, sql.Identifier(template)))


def drop_postgres(url: str) -> None:
    from psycopg import sql

    with _admin(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_database(url))))


def postgres_version(url: str) -> str:
    with _admin(url) as connection:
        return str(connection.execute("SHOW server_version").fetchone()[0])


def demo_practices(url: str) -> int | None:
    """How many demo practices the database at ``url`` holds; None when it has none or cannot be read."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM practices WHERE slug LIKE 'synthetic-demo-%'"))
    except Exception:  # noqa: BLE001 - missing database or table: there is nothing to reuse
        return None
    finally:
        engine.dispose()


def build(engine: str, url: str, count: int, reuse: bool) -> tuple[float | None, bool]:
    """The registry database of ``engine`` at N practices: seconds the bulk load took (None when reused from
    a build whose time was not recorded), and whether it was reused."""
    info = WORK / f"build-{engine}.json"
    if reuse:
        found = demo_practices(url) if engine == "postgresql" or Path(make_url(url).database or "").exists() else None
        if found == count:
            recorded = json.loads(info.read_text()) if info.exists() else {}
            step(f"{engine}: reusing {url} ({count:,} demo practices)")
            same = recorded.get("count") == count and recorded.get("database") == url
            return (recorded.get("load_seconds") if same else None), True
        step(f"{engine}: cannot reuse {url} ({found or 'no'} demo practices, not {count:,}): building")
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    if engine == "postgresql":
        recreate_postgres(url)
    else:
        for leftover in WORK.glob("registry.sqlite3*"):
            leftover.unlink()
    info.unlink(missing_ok=True)
    bound = 900 * scale(count)
    run([*FLASK, "db", "upgrade"], env, bound)
    run([*FLASK, "seed"], env, bound)
    started = time.perf_counter()
    run([*FLASK, "demo", "--count", str(count), "--bulk"], env, 1800 * scale(count))
    load_seconds = time.perf_counter() - started
    if engine == "postgresql":
        # What autovacuum does within a minute of a load, done now so that every run measures the same state
        # (visibility map set: index-only scans need it).
        step(f"{engine}: VACUUM (ANALYZE)")
        vacuum = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with vacuum.connect() as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
        vacuum.dispose()
    info.write_text(json.dumps({"count": count, "load_seconds": load_seconds, "database": url}))
    return load_seconds, False


def served_copy(engine: str, url: str) -> str:
    """A copy of the built database to serve (and PATCH) during this run: its URL."""
    if engine == "postgresql":
        copy = make_url(url).set(database=_database(url) + "_run").render_as_string(hide_password=False)
        step(f"{engine}: copying {_database(url)} to {_database(copy)}")
        recreate_postgres(copy, template=_database(url))
        return copy
    source, target = Path(make_url(url).database or ""), WORK / "registry.run.sqlite3"
    for leftover in WORK.glob("registry.run.sqlite3*"):
        leftover.unlink()
    step(f"{engine}: copying {source.name} to {target.name}")
    with contextlib.closing(sqlite3.connect(source)) as built, contextlib.closing(sqlite3.connect(target)) as copy:
        built.backup(copy)
    return f"sqlite:///{target}"


def drop_copy(engine: str, url: str) -> None:
    if engine == "postgresql":
        drop_postgres(url)
    else:
        for leftover in WORK.glob("registry.run.sqlite3*"):
            leftover.unlink()


def saved(engine: str, count: int) -> tuple[dict[str, dict[str, measure.Timing]], str] | None:
    """The quiet figures of an earlier run of ``engine`` at ``count`` (``bench/work/results-*.json``), and when
    it was written."""
    path = WORK / f"results-{engine}-{count}.json"
    if not path.exists():
        return None
    found = json.loads(path.read_text())
    quiet = found["results"]["quiet"]
    return ({name: {side: measure.Timing(**timing) for side, timing in sides.items()} for name, sides in quiet.items()},
            found.get("written", "?"))


def save(engine: str, run_: report.Run) -> None:
    path = WORK / f"results-{engine}-{run_.count}.json"
    sides = (engine, "datasette")
    results = {phase: {name: {side: asdict(t) for side, t in timings.items() if side in sides}
                       for name, timings in by_query.items()} for phase, by_query in run_.results.items()}
    path.write_text(json.dumps({
        "engine": engine, "count": run_.count, "written": time.strftime("%Y-%m-%d %H:%M:%S"),
        "duration": run_.duration, "lone": run_.lone, "load_seconds": run_.load_seconds.get(engine),
        "results": results, "rss": [asdict(peak) for peak in run_.peaks if peak.server in sides],
    }, indent=1))


def registry_side(engine: str, plan: list[Query], checks: dict[str, dict[str, str]], timeout: float) -> measure.Side:
    """The registry of ``engine`` as a side, its deep cursor fetched (a failure to is that query's check)."""
    side = measure.Side(engine, PORTS[engine])
    for query in plan:
        try:
            side.paths[query.name] = measure.registry_path(side.port, query, timeout)
        except (OSError, RuntimeError, ValueError, KeyError) as error:
            side.paths[query.name] = None
            checks.setdefault(query.name, {})[engine] = f"no cursor: {error}"
    return side


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per query and server")
    parser.add_argument("--lone", type=int, default=200, help="requests of the lone-latency loop")
    parser.add_argument("--engine", choices=(*ENGINES, "both"), default="sqlite",
                        help="the registry's database: SQLite, PostgreSQL, or both in one run (default: sqlite)")
    parser.add_argument("--reuse", action="store_true",
                        help="skip the build of a database that already holds the N demo practices")
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="the PostgreSQL database to build (dropped and created; also BENCH_POSTGRES_URL)")
    parser.add_argument("--output", type=Path, help="the report (default: bench/RESULTS.md for SQLite,"
                        " bench/RESULTS-postgresql.md for --engine postgresql)")
    parser.add_argument("--output-postgresql", type=Path, help="PostgreSQL's report with --engine both"
                        " (default: bench/RESULTS-postgresql.md)")
    args = parser.parse_args()
    engines = list(ENGINES) if args.engine == "both" else [args.engine]
    outputs = {"sqlite": args.output or ROOT / "bench" / "RESULTS.md",
               "postgresql": args.output_postgresql or (args.output if args.engine == "postgresql" else None)
               or ROOT / "bench" / "RESULTS-postgresql.md"}
    WORK.mkdir(parents=True, exist_ok=True)
    registry_db = WORK / "registry.sqlite3"
    urls = {"sqlite": f"sqlite:///{registry_db}", "postgresql": args.postgres_url}
    started, load_before = time.perf_counter(), os.getloadavg()
    bound = scale(args.count)
    ensure_tools()
    # The SQLite build always: Datasette's export is made from it.
    built = {engine: build(engine, urls[engine], args.count, args.reuse)
             for engine in dict.fromkeys(["sqlite", *engines])}
    step("exporting for Datasette")
    datasette_db = WORK / "datasette.sqlite3"
    exported = export.export(registry_db, datasette_db)
    visible = measure.visible(datasette_db)
    depth = cursor_depth(visible)
    sample = measure.samples(registry_db)
    plan = queries(**sample, depth=depth, after=measure.row_key(datasette_db, depth))
    export.write_metadata(WORK / "metadata.json", "datasette", plan)
    served = {engine: served_copy(engine, urls[engine]) for engine in engines}
    envs = {engine: {**os.environ, "REGISTRY_DATABASE_URL": served[engine]} for engine in engines}
    tokens = {engine: run([*FLASK, "tokens", "create", "--name", "synthetic-bench-admin", "--role", "admin"],
                          envs[engine], 300).strip() for engine in engines}
    detail = sample["detail_slug"]
    servers = measure.Servers(ROOT, {engine: (PORTS[engine], envs[engine]) for engine in engines}, DATASETTE_VENV,
                              WORK, DATASETTE_PORT, ready_timeout=60 * bound, sql_time_limit_ms=int(20_000 * bound))
    timeout = measure.TIMEOUT * bound
    checks: dict[str, dict[str, str]] = {}
    results: dict[str, dict[str, dict[str, measure.Timing]]] = {}
    patches: dict[str, dict[str, tuple[int, int]]] = {}
    try:
        servers.start()
        pids = servers.pids
        with measure.RssSampler({engine: pids[engine] for engine in engines}, {"datasette": pids["datasette"]},
                                RSS_INTERVAL) as rss:
            step(f"fetching the deep cursor (after row {depth:,} of {visible:,})")
            sides = [registry_side(engine, plan, checks, timeout) for engine in engines]
            datasette = measure.Side("datasette", DATASETTE_PORT, {q.name: measure.datasette_path(q) for q in plan})
            step("checking each registry answers the same practices as Datasette")
            for query in plan:
                for side in sides:
                    checks.setdefault(query.name, {}).setdefault(
                        side.name, measure.same_answers(side, datasette, query, timeout))
            everyone = [*sides, datasette]
            results["quiet"] = measure.time_all(everyone, plan, checks, args.duration, args.lone, step, rss)
            with contextlib.ExitStack() as stack:
                patchers = {side.name: stack.enter_context(measure.Patcher(side.port, tokens[side.name], detail))
                            for side in sides}
                phase = "one PATCH per second"
                results[phase] = measure.time_all(everyone, plan, checks, args.duration, args.lone, step, rss)
            patches[phase] = {name: (p.sent, p.failed) for name, p in patchers.items()}
    finally:
        servers.stop()
        for engine in engines:
            drop_copy(engine, served[engine])
    step("the in-process floor")
    floor = measure.floor(datasette_db, plan, args.lone)
    result = report.Run(
        count=args.count, engines=engines, exported=exported,
        load_seconds={engine: built[engine][0] for engine in engines},
        reused={engine: built[engine][1] for engine in engines}, plan=plan, depth=depth, checks=checks,
        results=results, floor=floor, patches=patches, peaks=list(rss.peaks.values()), rss_samples=rss.samples,
        rss_interval=RSS_INTERVAL, datasette_venv=DATASETTE_VENV, elapsed=time.perf_counter() - started,
        duration=args.duration, lone=args.lone, load=(load_before, os.getloadavg()),
        postgres_url=args.postgres_url if "postgresql" in engines else None,
        postgres_version=postgres_version(args.postgres_url) if "postgresql" in engines else None)
    for engine in engines:
        earlier = saved("sqlite", args.count) if engine == "postgresql" and "sqlite" not in engines else None
        at_100k = saved(engine, report.TARGET_N) if args.count == report.LARGE_N else None
        report.write(outputs[engine], result, engine, sqlite_earlier=earlier, at_100k=at_100k,
                     command=" ".join(["python -m bench.run", *sys.argv[1:]]))
        save(engine, result)
        step(f"wrote {outputs[engine]}")


if __name__ == "__main__":
    main()

"""``make bench``: the registry and Datasette side by side over the same N synthetic practices.

``python -m bench.run --count N`` (from the repository root, with the project's .venv):

1. builds ``bench/work/registry.sqlite3``: migrate, seed, ``demo --count N --bulk`` (the bulk load path,
   ``registry.services.bulk``; every practice says it is synthetic in its title and provenance);
2. exports the same practices into ``bench/work/datasette.sqlite3`` (``bench.export``) with a
   ``metadata.json`` of canned queries (``bench.queries``);
3. installs Datasette 0.65.x into ``bench/.venv-datasette`` and wrk (``apt-get``) when missing;
4. starts gunicorn (2 workers) and Datasette on loopback, checks both answer the same practices for each
   query, then times each query interleaved (registry, then Datasette): wrk at 8 connections for a fixed
   duration, and a lone-latency loop (1 connection) for p50/p99, waiting for both to drain in between;
   then the same with one PATCH per second in the background (an admin token from ``flask tokens create``);
5. writes ``bench/RESULTS.md``, with the in-process floor (the same SQL via sqlite3 + json.dumps).
Every loop is bounded in count and time; only 127.0.0.1 is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import export, measure, report
from bench.queries import queries

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
DATASETTE_VENV = ROOT / "bench" / ".venv-datasette"
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "registry"]
REGISTRY_PORT, DATASETTE_PORT = 8711, 8712


def step(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], env: dict[str, str], timeout: float = 900) -> str:
    step(" ".join(command))
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout


def ensure_tools() -> None:
    if not (DATASETTE_VENV / "bin" / "datasette").exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True, timeout=300)
        subprocess.run([str(DATASETTE_VENV / "bin" / "pip"), "install", "--quiet", "datasette>=0.65,<0.66"],
                       check=True, timeout=600)
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, timeout=600)


def build(count: int, env: dict[str, str]) -> tuple[float, str]:
    """The registry database at N practices; seconds the bulk load took, and an admin token."""
    for leftover in WORK.glob("registry.sqlite3*"):
        leftover.unlink()
    run([*FLASK, "db", "upgrade"], env)
    run([*FLASK, "seed"], env)
    started = time.perf_counter()
    run([*FLASK, "demo", "--count", str(count), "--bulk"], env)
    load_seconds = time.perf_counter() - started
    output = run([*FLASK, "tokens", "create", "--name", "synthetic-bench-admin", "--role", "admin"], env)
    return load_seconds, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per query and server")
    parser.add_argument("--lone", type=int, default=200, help="requests of the lone-latency loop")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    registry_db = WORK / "registry.sqlite3"
    env = {**os.environ, "REGISTRY_DATABASE_URL": f"sqlite:///{registry_db}"}
    started = time.perf_counter()
    ensure_tools()
    load_seconds, token = build(args.count, env)
    step("exporting for Datasette")
    exported = export.export(registry_db, WORK / "datasette.sqlite3")
    samples = measure.samples(registry_db)
    plan = queries(**samples)
    export.write_metadata(WORK / "metadata.json", "datasette", plan)
    servers = measure.Servers(ROOT, env, DATASETTE_VENV, WORK, REGISTRY_PORT, DATASETTE_PORT)
    try:
        servers.start()
        step("checking both answer the same practices")
        checks = {q.name: measure.same_answers(servers, q) for q in plan}
        results = {"quiet": measure.time_all(servers, plan, checks, args.duration, args.lone, step)}
        with measure.Patcher(servers, token, samples["detail_slug"]) as patcher:
            results["one PATCH per second"] = measure.time_all(servers, plan, checks, args.duration, args.lone,
                                                               step)
        patches = {"one PATCH per second": (patcher.sent, patcher.failed)}
    finally:
        servers.stop()
    floor = measure.floor(WORK / "datasette.sqlite3", plan, args.lone)
    report.write(args.output, count=args.count, exported=exported, load_seconds=load_seconds, plan=plan,
                 checks=checks, results=results, floor=floor, patches=patches, datasette_venv=DATASETTE_VENV,
                 elapsed=time.perf_counter() - started, duration=args.duration, lone=args.lone)
    step(f"wrote {args.output}")


if __name__ == "__main__":
    main()

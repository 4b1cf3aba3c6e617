"""The memory and time of the exports: ``flask --app registry export --format json|csv --output F``, each run as
a process of its own on an existing registry database, and its peak resident set size.

``python -m bench.memory --database PATH`` (from the repository root, with the project's .venv); PATH is a SQLite
file (build one with ``flask db upgrade && flask seed && flask demo --count N --bulk``) or a database URL.
Prints, per format: wall time, peak RSS (the kernel's count for the process, as ``/usr/bin/time -v`` shows it),
the peak of its private memory alone (``RssAnon``, sampled every 0.1 s: RSS also counts the file-backed pages of
the interpreter and its libraries, and a memory map of the database file if ``registry.extensions.SQLITE_PRAGMAS``
asks for one) and the file's size.
The files go to a temporary folder, deleted afterwards unless ``--keep DIR``.

``--code DIR`` runs the exports of another checkout (its ``registry`` package, with this .venv's packages):
the same database measured before and after a change.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("json", "csv")


@dataclass
class Measured:
    fmt: str
    seconds: float
    max_rss_kib: int
    max_anon_kib: int
    size: int
    status: int


def _anon_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def export(fmt: str, database_url: str, code: Path, target: Path, timeout: float) -> Measured:
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "flask", "--app", "registry", "export", "--format", fmt, "--output", str(target)]
    errors = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    peak_anon = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_anon
        while not done.wait(0.1):
            peak_anon = max(peak_anon, _anon_kib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage: ru_maxrss in KiB on Linux
    finally:
        timer.cancel()
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        errors.seek(0)
        print(f"export --format {fmt} failed ({process.returncode}):\n{errors.read().decode(errors='replace')}",
              file=sys.stderr)
    errors.close()
    size = target.stat().st_size if target.exists() else 0
    return Measured(fmt, seconds, usage.ru_maxrss, peak_anon, size, process.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a SQLite file, or a database URL")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose export runs (default: this one)")
    parser.add_argument("--keep", type=Path, help="keep the exported files in this folder")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="seconds an export may take")
    args = parser.parse_args()
    url = args.database if "://" in args.database else f"sqlite:///{Path(args.database).resolve()}"
    if "://" not in args.database and not Path(args.database).is_file():
        parser.error(f"no database file at {args.database}")
    print(f"exports of {url} by {args.code.resolve()}", flush=True)
    print(f"{'format':<7} {'seconds':>9} {'max RSS MiB':>12} {'max RssAnon MiB':>16} {'output MiB':>11}", flush=True)
    with tempfile.TemporaryDirectory(prefix="registry-bench-memory-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        failed = False
        for fmt in args.formats:
            m = export(fmt, url, args.code.resolve(), folder / f"registry.{fmt}", args.timeout)
            failed |= m.status != 0
            print(f"{m.fmt:<7} {m.seconds:>9.1f} {m.max_rss_kib / 1024:>12.1f} {m.max_anon_kib / 1024:>16.1f} "
                  f"{m.size / 2**20:>11.1f}" + ("" if m.status == 0 else f"  (exit {m.status})"), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Servers, answer checks, wrk and lone-latency timing, the background PATCHes and the in-process floor.

Every loop here is bounded in count and in time; every address is 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import signal
import sqlite3
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from bench.queries import MATCHES, NEWEST, VISIBLE, Query

HOST = "127.0.0.1"
TIMEOUT = 30.0


@dataclass
class Timing:
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    #: Requests the lone loop made (fewer than asked when it hit its time budget).
    lone_count: int = 0


def _get(port: int, path: str, headers: dict[str, str] | None = None,
         timeout: float = TIMEOUT) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


@dataclass
class Side:
    """One server of the benchmark ("sqlite" or "postgresql" for the registry, "datasette"), its port and the
    path it is asked, per query name (None: not available there)."""

    name: str
    port: int
    paths: dict[str, str | None] = field(default_factory=dict)


class Servers:
    """gunicorn (2 workers) for each registry engine and Datasette, on loopback ports, started and stopped here.

    ``registries`` maps an engine to its port and environment (its ``REGISTRY_DATABASE_URL``).
    """

    def __init__(self, root: Path, registries: dict[str, tuple[int, dict[str, str]]], datasette_venv: Path,
                 work: Path, datasette_port: int, *, ready_timeout: float = 60.0,
                 sql_time_limit_ms: int = 20_000) -> None:
        self.root, self.registries, self.venv, self.work = root, registries, datasette_venv, work
        self.datasette_port, self.ready_timeout = datasette_port, ready_timeout
        self.sql_time_limit_ms = sql_time_limit_ms
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self) -> None:
        logs = self.work
        for engine, (port, env) in self.registries.items():
            self.processes[engine] = subprocess.Popen(
                [str(self.root / ".venv" / "bin" / "gunicorn"), "--bind", f"{HOST}:{port}", "--workers", "2",
                 "wsgi:app"], cwd=self.root, env=env, stdout=open(logs / f"gunicorn-{engine}.log", "wb"),  # noqa: SIM115
                stderr=subprocess.STDOUT)
        self.processes["datasette"] = subprocess.Popen(
            [str(self.venv / "bin" / "datasette"), "serve", str(self.work / "datasette.sqlite3"), "--host", HOST,
             "--port", str(self.datasette_port), "--metadata", str(self.work / "metadata.json"),
             "--setting", "sql_time_limit_ms", str(self.sql_time_limit_ms), "--setting", "num_sql_threads", "3"],
            stdout=open(logs / "datasette.log", "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
        ready = [(port, "/api/v1/practices?page_size=1") for port, _ in self.registries.values()]
        ready.append((self.datasette_port, "/-/versions.json"))
        for port, path in ready:
            deadline = time.monotonic() + self.ready_timeout
            while True:
                try:
                    if _get(port, path)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server on port {port} did not answer within {self.ready_timeout:.0f} s")
                time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    @property
    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}


def datasette_path(query: Query) -> str:
    return f"/datasette/{query.canned}.json?_shape=objects" + (f"&{query.params}" if query.params else "")


def registry_path(port: int, query: Query, timeout: float = TIMEOUT) -> str | None:
    """The path the registry is timed on: its URL, or for a ``follow_next`` query the ``links.next`` of the
    answer to it (a cursor page); None when the registry has no such query."""
    if query.registry is None or not query.follow_next:
        return query.registry
    status, body, _ = _get(port, query.registry, timeout=timeout)
    if status != 200:
        raise RuntimeError(f"the registry answered {status} to {query.registry}")
    following = json.loads(body)["links"]["next"]
    if following is None:
        raise RuntimeError(f"no links.next in the answer to {query.registry}")
    parts = urlsplit(following)
    return f"{parts.path}?{parts.query}"


def samples(registry_db: Path) -> dict[str, str]:
    """Values the queries use: a published practice in the middle of the list, a frequent right and country."""
    db = sqlite3.connect(f"file:{registry_db}?mode=ro", uri=True)
    try:
        visible = "p.status = 'published' AND p.deleted_at IS NULL"
        count = db.execute(f"SELECT count(*) FROM practices AS p WHERE {visible}").fetchone()[0]
        detail = db.execute(f"SELECT slug FROM practices AS p WHERE {visible} ORDER BY slug LIMIT 1 OFFSET ?",
                            (count // 2,)).fetchone()[0]
        right = db.execute("SELECT r.slug FROM practice_rights AS l JOIN rights AS r ON r.id = l.right_id"
                           " GROUP BY r.slug ORDER BY count(*) DESC, r.slug LIMIT 1").fetchone()[0]
        country = db.execute(f"SELECT lg.country FROM practices AS p JOIN local_governments AS lg ON"
                             f" lg.id = p.lead_local_government_id WHERE {visible} GROUP BY lg.country"
                             " ORDER BY count(*) DESC, lg.country LIMIT 1").fetchone()[0]
    finally:
        db.close()
    return {"detail_slug": detail, "right": right, "country": country}


def visible(datasette_db: Path) -> int:
    """How many practices the export shows (published, not deleted)."""
    with contextlib.closing(sqlite3.connect(f"file:{datasette_db}?mode=ro", uri=True)) as db:
        return int(db.execute(f"SELECT count(*) FROM practices WHERE {VISIBLE}").fetchone()[0])


def row_key(datasette_db: Path, row: int) -> tuple[str, str]:
    """The (updated_at, slug) of the export's ``row``-th shown practice (from 1) in the newest-first order: the
    key Datasette's keyset query resumes after."""
    with contextlib.closing(sqlite3.connect(f"file:{datasette_db}?mode=ro", uri=True)) as db:
        key = db.execute(f"SELECT updated_at, slug FROM practices WHERE {VISIBLE} {NEWEST} LIMIT 1 OFFSET ?",
                         (max(row - 1, 0),)).fetchone()
    return (key[0], key[1]) if key else ("", "")


def same_answers(registry: Side, datasette: Side, query: Query, timeout: float = TIMEOUT) -> str:
    """"same" when both answer the same practices (in the same order), else why not. A query ranked by the
    engine (``ranked_by_engine``) on an engine other than SQLite is the same when it finds as many matches
    as Datasette and every practice of its page is one of them."""
    ours_path, theirs_path = registry.paths.get(query.name), datasette.paths.get(query.name)
    if ours_path is None or theirs_path is None:
        return "not available: " + query.note
    status_r, body_r, _ = _get(registry.port, ours_path, timeout=timeout)
    if query.ranked_by_engine and registry.name != "sqlite" and status_r == 200:
        answer = json.loads(body_r)
        slugs = query.registry_slugs(answer)
        params = urlencode({**dict(parse_qsl(query.params)), "slugs": json.dumps(slugs)})
        status_d, body_d, _ = _get(datasette.port, f"/datasette/{MATCHES[0]}.json?_shape=objects&{params}",
                                   timeout=timeout)
        if status_d != 200:
            return f"HTTP {status_r} (registry) / {status_d} (Datasette)"
        found = json.loads(body_d)["rows"][0]
        if (answer["total"], len(slugs)) != (found["total"], found["listed"]):
            return (f"DIFFERENT: registry {answer['total']} matches, Datasette {found['total']}; of the registry's"
                    f" {len(slugs)} listed, {found['listed']} match in Datasette")
        return f"same matches ({found['total']:,}; the {len(slugs)} listed all match; ranked by the engine)"
    status_d, body_d, _ = _get(datasette.port, theirs_path, timeout=timeout)
    if status_r != 200 or status_d != 200:
        return f"HTTP {status_r} (registry) / {status_d} (Datasette)"
    ours, theirs = query.registry_slugs(json.loads(body_r)), query.datasette_slugs(json.loads(body_d))
    if ours != theirs:
        return f"DIFFERENT: registry {ours[:3]}... ({len(ours)}), Datasette {theirs[:3]}... ({len(theirs)})"
    return f"same ({len(ours)} compared)"


def wrk(port: int, path: str, duration: int) -> tuple[float | None, int]:
    """Requests per second over ``duration`` s at 8 connections, and the non-2xx/socket errors."""
    out = subprocess.run(["wrk", "-t", "2", "-c", "8", "-d", f"{duration}s", "--timeout", "30s",
                          f"http://{HOST}:{port}{path}"], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)
    return (float(rps.group(1)) if rps else None), errors


def lone(port: int, path: str, count: int, budget: float = 15.0) -> tuple[float, float, int]:
    """p50 and p99 in ms of ``count`` sequential requests on one keep-alive connection (or as many as fit in
    ``budget`` seconds), and how many were answered."""
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    times = []
    deadline = time.monotonic() + budget
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", path)
            connection.getresponse().read()
            times.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
    finally:
        connection.close()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], len(times)


def drain(port: int, path: str, budget: float = 60.0) -> None:
    """Wait until a lone request answers as fast as twice the quickest of a few (the queue is empty)."""
    deadline = time.monotonic() + budget
    best = None
    for _ in range(50):
        started = time.perf_counter()
        try:
            _get(port, path)
        except OSError:
            pass
        took = time.perf_counter() - started
        if best is not None and took <= 2 * best or time.monotonic() > deadline:
            return
        best = took if best is None else min(best, took)
        time.sleep(0.2)


def time_all(sides: list[Side], plan: list[Query], checks: dict[str, dict[str, str]], duration: int, count: int,
             step: Callable[[str], None], rss: RssSampler | None = None,
             lone_budget: float = 15.0) -> dict[str, dict[str, Timing]]:
    """Each query on each side in turn (the registry's engines, then Datasette), wrk then lone loop, draining
    before each measurement. ``checks`` holds, per query, each registry engine's answer check: an engine is
    timed only where its answers were the same as Datasette's, and Datasette where any engine's were."""
    results: dict[str, dict[str, Timing]] = {}
    for query in plan:
        results[query.name] = {}
        same = {engine for engine, check in checks[query.name].items() if check.startswith("same")}
        for side in sides:
            path = side.paths.get(query.name)
            if path is None or (side.name in checks[query.name] and side.name not in same) or not same:
                continue
            step(f"{query.name}: {side.name}")
            if rss is not None:
                rss.doing = f"{query.name} ({side.name})"
            drain(side.port, path)
            rps, errors = wrk(side.port, path, duration)
            drain(side.port, path)
            p50, p99, answered = lone(side.port, path, count, lone_budget)
            results[query.name][side.name] = Timing(rps, p50, p99, errors, answered)
    if rss is not None:
        rss.doing = "between queries"
    return results


class Patcher:
    """One PATCH per second to a practice of the registry on ``port``, in a thread, while the block runs (at most
    an hour of them)."""

    def __init__(self, port: int, token: str, slug: str) -> None:
        self.port, self.token, self.slug = port, token, slug
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.sent = self.failed = 0

    def _run(self) -> None:
        path = f"/api/v1/practices/{self.slug}"
        for number in range(3600):
            if self.stop_event.wait(1.0):
                return
            try:
                _, _, headers = _get(self.port, path, {"Authorization": f"Bearer {self.token}"})
                etag = {k.lower(): v for k, v in headers.items()}.get("etag", "")
                connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
                body = json.dumps({"start_year": 2000 + number % 20, "end_year": None})
                connection.request("PATCH", path, body, {"Authorization": f"Bearer {self.token}", "If-Match": etag,
                                                         "Content-Type": "application/merge-patch+json"})
                ok = connection.getresponse().status < 300
                connection.close()
            except OSError:
                ok = False
            self.sent += 1
            self.failed += not ok

    def __enter__(self) -> Patcher:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.thread.join(timeout=30)


@dataclass
class Peak:
    """The largest resident set (VmRSS) one process had while sampled, its private (RssAnon) and file-backed
    (RssFile: mapped files, such as the interpreter's libraries or a memory-mapped database, shared with the
    page cache) parts then, what the benchmark was doing then, and the largest private part seen."""

    server: str
    role: str
    pid: int
    rss_kb: int = 0
    doing: str = ""
    anon_kb: int = 0
    file_kb: int = 0
    max_anon_kb: int = 0

    @property
    def mb(self) -> float:
        return self.rss_kb * 1024 / 1e6

    @property
    def anon_mb(self) -> float:
        return self.max_anon_kb * 1024 / 1e6


def _parent(pid: str) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # after the command name: state, then the parent's pid


def memory_kb(pid: int) -> dict[str, int] | None:
    """VmRSS, RssAnon and RssFile of ``pid`` in kB (/proc/<pid>/status), None when it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    fields = (line.split() for line in lines if line.startswith(("VmRSS:", "RssAnon:", "RssFile:")))
    found = {parts[0].rstrip(":"): int(parts[1]) for parts in fields}
    return found if "VmRSS" in found else None


def rss_kb(pid: int) -> int | None:
    """VmRSS of ``pid`` in kB, None when it is gone."""
    found = memory_kb(pid)
    return None if found is None else found["VmRSS"]


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (a gunicorn master's workers)."""
    return sorted(int(entry.name) for entry in Path("/proc").iterdir()
                  if entry.name.isdigit() and _parent(entry.name) == pid)


class RssSampler:
    """Every ``interval`` s, the resident set (VmRSS) of each gunicorn worker (the children of each master in
    ``masters``) and of each process in ``single`` (Datasette); keeps each process's peak and what the benchmark
    was doing (``doing``, set by the runner) when it was reached. A thread, while the block runs."""

    def __init__(self, masters: dict[str, int], single: dict[str, int], interval: float = 0.5) -> None:
        self.masters, self.single, self.interval = masters, single, interval
        self.peaks: dict[int, Peak] = {}
        self.doing = "starting"
        self.samples = 0
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        watched = [(server, "worker", pid) for server, master in self.masters.items() for pid in children(master)]
        watched += [(server, "process", pid) for server, pid in self.single.items()]
        for server, role, pid in watched:
            found = memory_kb(pid)
            if found is None:
                continue
            peak = self.peaks.setdefault(pid, Peak(server, role, pid))
            if found["VmRSS"] > peak.rss_kb:
                peak.rss_kb, peak.doing = found["VmRSS"], self.doing
                peak.anon_kb, peak.file_kb = found.get("RssAnon", 0), found.get("RssFile", 0)
            peak.max_anon_kb = max(peak.max_anon_kb, found.get("RssAnon", 0))
        self.samples += 1

    def _run(self) -> None:
        while not self.stop_event.wait(self.interval):
            self.sample()

    def __enter__(self) -> RssSampler:
        self.sample()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.thread.join(timeout=30)


def floor(datasette_db: Path, plan: list[Query], count: int, budget: float = 15.0) -> dict[str, tuple[float, float]]:
    """The same SQL run in-process through sqlite3 and encoded with json.dumps: p50 and p99 in ms (of ``count``
    runs, or as many as fit in ``budget`` seconds per query)."""
    db = sqlite3.connect(f"file:{datasette_db}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    out: dict[str, tuple[float, float]] = {}
    for query in plan:
        params: dict[str, Any] = dict(parse_qsl(query.params))
        times = []
        deadline = time.monotonic() + budget
        for _ in range(count):
            started = time.perf_counter()
            json.dumps([dict(row) for row in db.execute(query.sql, params)])
            times.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
        times.sort()
        out[query.name] = (statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))])
    db.close()
    return out

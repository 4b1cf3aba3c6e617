"""Servers, answer checks, wrk and lone-latency timing, the background PATCHes and the in-process floor.

Every loop here is bounded in count and in time; every address is 127.0.0.1.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from bench.queries import Query

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


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


class Servers:
    """gunicorn (2 workers) for the registry and Datasette, on loopback ports, started and stopped here."""

    def __init__(self, root: Path, env: dict[str, str], datasette_venv: Path, work: Path, registry_port: int,
                 datasette_port: int) -> None:
        self.root, self.env, self.venv, self.work = root, env, datasette_venv, work
        self.registry_port, self.datasette_port = registry_port, datasette_port
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        logs = self.work
        self.processes.append(subprocess.Popen(
            [str(self.root / ".venv" / "bin" / "gunicorn"), "--bind", f"{HOST}:{self.registry_port}", "--workers",
             "2", "wsgi:app"], cwd=self.root, env=self.env, stdout=open(logs / "gunicorn.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT))
        self.processes.append(subprocess.Popen(
            [str(self.venv / "bin" / "datasette"), "serve", str(self.work / "datasette.sqlite3"), "--host", HOST,
             "--port", str(self.datasette_port), "--metadata", str(self.work / "metadata.json"),
             "--setting", "sql_time_limit_ms", "20000", "--setting", "num_sql_threads", "3"],
            stdout=open(logs / "datasette.log", "wb"), stderr=subprocess.STDOUT))  # noqa: SIM115
        ready = ((self.registry_port, "/api/v1/practices?page_size=1"), (self.datasette_port, "/-/versions.json"))
        for port, path in ready:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if _get(port, path)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server on port {port} did not answer within 60 s")
                time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def urls(self, query: Query) -> tuple[str | None, str]:
        datasette = f"/datasette/{query.canned}.json?_shape=objects" + (f"&{query.params}" if query.params else "")
        return query.registry, datasette


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


def same_answers(servers: Servers, query: Query) -> str:
    """"same" when both answer the same practices (in the same order), else why not."""
    registry, datasette = servers.urls(query)
    if registry is None:
        return "not available: " + query.note
    status_r, body_r, _ = _get(servers.registry_port, registry)
    status_d, body_d, _ = _get(servers.datasette_port, datasette)
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


def time_all(servers: Servers, plan: list[Query], checks: dict[str, str], duration: int, count: int,
             step: Callable[[str], None]) -> dict[str, dict[str, Timing]]:
    """Each query, registry then Datasette, wrk then lone loop, draining before each measurement."""
    results: dict[str, dict[str, Timing]] = {}
    for query in plan:
        registry, datasette = servers.urls(query)
        results[query.name] = {}
        if not checks[query.name].startswith("same"):
            continue
        for side, port, path in (("registry", servers.registry_port, registry),
                                 ("datasette", servers.datasette_port, datasette)):
            assert path is not None
            step(f"{query.name}: {side}")
            drain(port, path)
            rps, errors = wrk(port, path, duration)
            drain(port, path)
            p50, p99, answered = lone(port, path, count)
            results[query.name][side] = Timing(rps, p50, p99, errors, answered)
    return results


class Patcher:
    """One PATCH per second to a practice, in a thread, while the block runs (at most an hour of them)."""

    def __init__(self, servers: Servers, token: str, slug: str) -> None:
        self.port, self.token, self.slug = servers.registry_port, token, slug
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


def floor(datasette_db: Path, plan: list[Query], count: int) -> dict[str, tuple[float, float]]:
    """The same SQL run in-process through sqlite3 and encoded with json.dumps: p50 and p99 in ms."""
    db = sqlite3.connect(f"file:{datasette_db}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    out: dict[str, tuple[float, float]] = {}
    for query in plan:
        params: dict[str, Any] = dict(parse_qsl(query.params))
        if ":at" in query.sql:
            at, slug = db.execute("SELECT updated_at, slug FROM practices ORDER BY updated_at DESC, slug"
                                  " LIMIT 1 OFFSET 50000").fetchone() or ("", "")
            params.update(at=at, slug=slug)
        times = []
        for _ in range(count):
            started = time.perf_counter()
            json.dumps([dict(row) for row in db.execute(query.sql, params)])
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[query.name] = (statistics.median(times), times[min(count - 1, int(count * 0.99))])
    db.close()
    return out

"""Two writers on one practice: If-Match settles it, and the database does in a real race.

The real races run on a database of their own (``own_*`` fixtures): two threads writing at once need
connections and commits of their own, which one shared test transaction cannot give them.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from registry.api import smorest
from tests.helpers import PRACTICES, Staff, assert_problem, create, etag_of


def test_of_two_editors_on_one_version_one_wins_and_nothing_is_lost(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag_ana = etag_of(client, slug, staff.editor)
    etag_ben = etag_of(client, slug, staff.editor2)
    assert etag_ana == etag_ben
    ana = client.patch(url, json={"start_year": 2015}, headers={**staff.editor, "If-Match": etag_ana})
    assert ana.status_code == 200
    ben = client.patch(url, json={"end_year": 2019}, headers={**staff.editor2, "If-Match": etag_ben})
    assert_problem(ben, 412)
    now = client.get(url, headers=staff.editor2)
    assert (now.json["start_year"], now.json["end_year"], now.json["version"]) == (2015, None, 2)
    # Ben re-reads and re-applies: both changes are kept.
    again = client.patch(url, json={"end_year": 2019}, headers={**staff.editor2, "If-Match": now.headers["ETag"]})
    assert again.status_code == 200
    assert (again.json["start_year"], again.json["end_year"], again.json["version"]) == (2015, 2019, 3)
    actors = [(r["actor"], r["action"]) for r in client.get(f"{url}/revisions", headers=staff.admin).json["items"]]
    assert actors == [("ben-editor", "update"), ("ana-editor", "update"), ("ana-editor", "create")]


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_real_race_one_wins_and_the_database_refuses_the_other(
    own_seeded_app: Flask, own_client: FlaskClient, own_staff: Staff, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Both requests pass the ETag check on the same version (a barrier holds each until the other
    has checked), then both write: only the database's `WHERE version = ...` can stop the second."""
    slug = create(own_client, own_staff.editor)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(own_client, slug, own_staff.admin)
    barrier = threading.Barrier(2, timeout=10)
    checked = smorest.check_if_match

    def check_then_wait(*args: Any) -> None:
        checked(*args)
        barrier.wait()

    monkeypatch.setattr(smorest, "check_if_match", check_then_wait)
    results: dict[str, TestResponse] = {}
    errors: list[BaseException] = []

    def writer(name: str, headers: dict[str, str], year: int) -> None:
        try:
            own = own_seeded_app.test_client()
            results[name] = own.open(url, method=method, json={"start_year": year} if method == "PATCH" else None,
                                     headers={**headers, "If-Match": etag})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
            barrier.abort()

    headers = (own_staff.editor, own_staff.editor2) if method == "PATCH" else (own_staff.admin, own_staff.admin)
    threads = [threading.Thread(target=writer, args=(name, h, y))
               for name, h, y in (("first", headers[0], 2011), ("second", headers[1], 2012))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    statuses = sorted(r.status_code for r in results.values())
    success = 200 if method == "PATCH" else 204
    assert statuses == [success, 412], {n: (r.status_code, r.get_data(as_text=True)[:300]) for n, r in results.items()}
    loser = next(r for r in results.values() if r.status_code == 412)
    assert_problem(loser, 412)
    monkeypatch.setattr(smorest, "check_if_match", checked)
    history = own_client.get(f"{url}/revisions", headers=own_staff.admin).json["items"]
    assert len(history) == 2, "one write recorded, not two"
    if method == "PATCH":
        winner = next(n for n, r in results.items() if r.status_code == 200)
        now = own_client.get(url, headers=own_staff.admin).json
        assert now["version"] == 2
        assert now["start_year"] == {"first": 2011, "second": 2012}[winner]
        assert history[0]["changes"]["start_year"]["new"] == now["start_year"]


def test_two_threads_without_help_never_both_win(
    own_seeded_app: Flask, own_client: FlaskClient, own_staff: Staff
) -> None:
    """The same race left to chance: whatever the interleaving, one 200 and one 412 (SQLite may serialise)."""
    slug = create(own_client, own_staff.editor)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(own_client, slug, own_staff.editor)
    start = threading.Barrier(2, timeout=10)
    results: list[int] = []

    def writer(headers: dict[str, str], year: int) -> None:
        own = own_seeded_app.test_client()
        start.wait()
        results.append(own.patch(url, json={"start_year": year}, headers={**headers, "If-Match": etag}).status_code)

    threads = [threading.Thread(target=writer, args=a) for a in ((own_staff.editor, 2011), (own_staff.editor2, 2012))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [200, 412], results
    assert own_client.get(url, headers=own_staff.editor).json["version"] == 2

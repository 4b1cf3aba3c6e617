"""The feed's cursor under concurrent writes: real threads, real commits, a database of their own.

Writers commit while a reader follows the feed from its cursor. Some writers dawdle between writing
their event and committing, so that on PostgreSQL a transaction that inserted its event first commits
last: a cursor taken from insertion order would let the reader pass that event for ever. What the
reader saw, put together, must be every event, once each, in cursor order.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.services import records
from tests.helpers import API, Staff

CHANGES = f"{API}/changes"
WRITERS = 4
NETWORKS_EACH = 6
#: Every third write waits this long between recording its event and committing.
DAWDLE = 0.03


def _follow(client: FlaskClient, since: int, limit: int = 5) -> tuple[list[dict[str, Any]], int, bool]:
    response = client.get(CHANGES, query_string={"since": since, "limit": limit})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.json
    return body["items"], body["next_since"], body["more"]


def test_a_reader_following_the_feed_misses_and_repeats_nothing_while_writers_commit(
    own_seeded_app: Flask, own_client: FlaskClient, own_staff: Staff, monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = 0
    while True:  # the cursor after the seeds' events
        items, start, more = _follow(own_client, start, 1000)
        if not more:
            break
    recorded = records.record_change
    turns = itertools.count()

    def record_then_dawdle(*args: Any) -> Any:
        change = recorded(*args)
        if next(turns) % 3 == 0:
            time.sleep(DAWDLE)  # the event is written (and, on PostgreSQL, its id taken); the commit waits
        return change

    monkeypatch.setattr(records, "record_change", record_then_dawdle)
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(n: int) -> None:
        try:
            client = own_seeded_app.test_client()
            for k in range(NETWORKS_EACH):
                slug = f"synthetic-race-{n}-{k}"
                made = client.post(f"{API}/networks", headers=own_staff.admin, json={
                    "slug": slug, "name": {"en": f"Synthetic race network {n}-{k} (test data)"},
                    "original_language": "en"})
                assert made.status_code == 201, made.get_data(as_text=True)
                changed = client.patch(f"{API}/networks/{slug}", json={"acronym": f"SR{n}{k}"},
                                       headers={**own_staff.admin, "If-Match": "*"})
                assert changed.status_code == 200, changed.get_data(as_text=True)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    seen: list[dict[str, Any]] = []
    polls = 0

    def reader() -> None:
        nonlocal polls
        try:
            client = own_seeded_app.test_client()
            since = start
            while True:
                finished = done.is_set()  # read before polling: one more full pass after the writers end
                items, since, more = _follow(client, since)
                polls += 1
                seen.extend(items)
                if finished and not more:
                    return
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    following = threading.Thread(target=reader)
    following.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    done.set()
    following.join(60)
    assert not errors, errors
    assert polls > WRITERS, "the reader polled while the writers wrote"

    everything, _, more = _follow(own_client, start, 1000)
    assert not more
    expected = {(f"synthetic-race-{n}-{k}", event) for n in range(WRITERS) for k in range(NETWORKS_EACH)
                for event in ("created", "updated")}
    assert {(item["slug"], item["event"]) for item in everything} == expected
    cursors = [item["cursor"] for item in seen]
    assert len(cursors) == len(set(cursors)), "no event twice"
    assert cursors == sorted(cursors), "in cursor order"
    assert seen == everything, "what the reader saw as it went is the whole feed"
    for n, k in itertools.product(range(WRITERS), range(NETWORKS_EACH)):
        events = [item["event"] for item in seen if item["slug"] == f"synthetic-race-{n}-{k}"]
        assert events == ["created", "updated"], "each record's events in the order they happened"

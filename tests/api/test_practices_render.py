"""The practice reads' fast path answers the very bytes the marshmallow schemas would give for the ORM
objects with their relationships (the path it replaced): relations loaded in one statement
(``services.practice_reads``), dumped by compiled serializers and orjson (``api.practices.render``).
Every practice of the ``world`` (list item and detail, every status), and whole list pages."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import jsonify
from flask.testing import FlaskClient
from marshmallow import fields, post_dump
from sqlalchemy import select

from registry.api.common import Schema, envelope
from registry.api.practices.render import compile_dump
from registry.api.practices.schemas import PracticePageSchema, PracticeSchema, PracticeSummarySchema
from registry.api.remembered import json_bytes
from registry.extensions import db
from registry.models.practices import STATUSES, Practice
from registry.services import practices
from registry.services.practices import PracticeQuery
from tests.api.practice_world import INVISIBLE, PUBLISHED

FACETS = ["local_government", "country", "region", "network", "right", "question", "target_group", "practice_type",
          "gcm_objective", "sdg_target", "session", "documentation"]


def test_every_practice_dumps_to_the_schemas_bytes(world: FlaskClient) -> None:
    summary = compile_dump(PracticeSummarySchema)
    detail = compile_dump(PracticeSchema)
    with world.application.test_request_context():
        everything = practices.find_practices(db.session, PracticeQuery(statuses=STATUSES), 1, 100).page.items
        assert {p.slug for p in everything} >= {*PUBLISHED, *INVISIBLE} - {"synthetic-deleted-brouillon"}
        details = []
        for listed in everything:
            orm = db.session.scalar(select(Practice).where(Practice.slug == listed.slug))  # relations loaded by the ORM
            assert json_bytes(summary(listed)) == jsonify(PracticeSummarySchema().dump(orm)).data
            practice = practices.get_practice(db.session, listed.slug, STATUSES)
            fast = json_bytes(detail(practice))
            assert fast == jsonify(PracticeSchema().dump(practice.orm)).data, listed.slug
            details.append(fast)
        # Non-ASCII text stays UTF-8, unescaped, as jsonify writes it with the app's settings.
        assert any("é".encode() in fast for fast in details)


LISTS = [  # (query string, the same query as the service takes it: query, page, page_size, facets)
    ("page_size=100", PracticeQuery(), 1, 100, None),
    ("page_size=3&page=2&sort=title", PracticeQuery(sort="title"), 2, 3, None),
    (f"facets={','.join(FACETS)}", PracticeQuery(), 1, 20, FACETS),
    ("q=logement&facets=right,country", PracticeQuery(q="logement"), 1, 20, ["right", "country"]),
]


@pytest.mark.parametrize(("url", "query", "page", "page_size", "facets"), LISTS)
def test_list_pages_are_the_schemas_bytes(world: FlaskClient, url: str, query: PracticeQuery, page: int,
                                          page_size: int, facets: list[str] | None) -> None:
    response = world.get(f"/api/v1/practices?{url}")
    assert response.status_code == 200 and response.json["items"]
    with world.application.test_request_context(f"/api/v1/practices?{url}"):
        found = practices.find_practices(db.session, query, page, page_size, facets)
        extra = {"facets": found.facets} if facets else {}
        by_slug = {p.slug: p for p in db.session.scalars(select(Practice))}  # relations loaded by the ORM
        orm = replace(found.page, items=[by_slug[read.slug] for read in found.page.items])
        assert response.data == jsonify(PracticePageSchema().dump(envelope(orm, **extra))).data
    again = world.get(f"/api/v1/practices?{url}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_detail_keeps_its_etag_and_304(world: FlaskClient) -> None:
    response = world.get(f"/api/v1/practices/{PUBLISHED[0]}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.data.endswith(b"}\n")
    again = world.get(f"/api/v1/practices/{PUBLISHED[0]}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_compile_dump_refuses_what_it_cannot_copy_exactly() -> None:
    class Floating(Schema):
        share = fields.Float()

    class Hooked(Schema):
        slug = fields.String()

        @post_dump
        def shout(self, data: dict, **kwargs: object) -> dict:
            return {key: value.upper() for key, value in data.items()}

    with pytest.raises(TypeError, match="Float"):
        compile_dump(Floating)
    with pytest.raises(TypeError, match="hooks"):
        compile_dump(Hooked)

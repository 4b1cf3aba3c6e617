"""/imports: bulk import of a spreadsheet (CSV) or an export (JSON), all or nothing."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView
from marshmallow import fields

from registry.api.common import Schema
from registry.api.smorest import Blueprint
from registry.extensions import db
from registry.problems import problem
from registry.services.exchange.importing import import_data
from registry.services.exchange.report import ImportRejected
from registry.services.tokens import Actor

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports", description="Bulk import for admins")

#: Media types this endpoint reads, besides JSON (see ``registry.api._json_bodies_only``).
CSV_MIME = "text/csv"


class ImportArgsSchema(ma.Schema):
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Check everything, references included, and write nothing", "example": True},
    )


class ImportProblemSchema(Schema):
    row = fields.String(metadata={"description": "CSV line, or JSON path such as practices[3]", "example": "4"})
    field = fields.String(metadata={"example": "lead_local_government"})
    message = fields.String(metadata={"example": "Unknown slug: 'atlantis'."})
    slug = fields.String(allow_none=True)


class ImportedHistorySchema(Schema):
    restored = fields.Integer(metadata={"description": "Revisions of the file written: the registry had no history",
                                        "example": 250})
    left_out = fields.Integer(metadata={"description": "Revisions of the file not written: the registry keeps its own",
                                        "example": 0})


class ImportReportSchema(Schema):
    format = fields.String(metadata={"example": "csv"})
    dry_run = fields.Boolean()
    written = fields.Boolean(metadata={"description": "Whether anything was written"})
    rows = fields.Integer(metadata={"example": 12})
    counts = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        metadata={"description": "Per kind of record: created, updated, unchanged",
                  "example": {"practices": {"created": 11, "updated": 1, "unchanged": 0}}},
    )
    revisions = fields.Nested(ImportedHistorySchema)
    problems = fields.List(fields.Nested(ImportProblemSchema))


@blp.route("")
class Imports(MethodView):
    @blp.staff("admin")
    @blp.query(ImportArgsSchema)
    @blp.doc(requestBody={
        "required": True,
        "description": "The columns of `flask --app registry export --format csv`, or an export in JSON",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            CSV_MIME: {"schema": {"type": "string"}, "example": "slug,status,original_language,title.fr,...\n"},
        },
    })
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="Rejected: nothing written")
    @blp.too_large()
    def post(self, args: dict[str, Any], actor: Actor) -> Any:
        """Import records

        Takes CSV (`Content-Type: text/csv`, the columns of the export) or JSON (an export). Every
        row is checked first; one bad row and nothing is written, and the answer lists every
        problem by row and field. `dry_run=true` checks without writing. Admins only.

        A record the registry lacks is created with the stamps the file gives (`created_at`,
        `updated_at`, `version`, a practice's `published_at` and `deleted_at`); one it has is left
        unchanged when identical, else written as a new version stamped now. The file's `revisions`
        are restored only into a registry without any history.
        """
        fmt = "csv" if request.mimetype == CSV_MIME else "json"
        try:
            report = import_data(db.session, request.get_data(), fmt=fmt, actor=actor.name,
                                 dry_run=args["dry_run"], token_id=actor.token_id)
        except ImportRejected as rejected:
            db.session.rollback()
            return _rejected(rejected)
        db.session.commit()
        return report.as_dict()


def _rejected(rejected: ImportRejected) -> Response:
    errors: dict[str, list[str]] = {}
    for item in rejected.problems:
        errors.setdefault(f"row {item.row}: {item.field}", []).append(item.message)
    return problem(422, f"Import rejected, nothing written ({len(rejected.problems)} problem(s)).",
                   title="Unprocessable Entity", errors=errors)

"""Reading a JSON import: the export's document into rows, one per record, with the problems of its shape."""

from __future__ import annotations

import json
from typing import Any

from registry.services.exchange.formats import (
    FORMAT_NAME,
    FORMAT_VERSION,
    KIND_BY_KEY,
    READABLE_VERSIONS,
    REVISIONS,
    ImportRow,
)
from registry.services.exchange.report import ImportProblem


def _revisions(document: dict[str, Any]) -> tuple[list[ImportRow] | None, list[ImportProblem]]:
    """The document's ``revisions``, labelled ``revisions[3]``; None when it has no such list."""
    if "revisions" not in document:
        return None, []
    items = document["revisions"]
    if not isinstance(items, list):
        return None, [ImportProblem("-", REVISIONS, "Must be a list of revisions.")]
    rows, problems = [], []
    for index, raw in enumerate(items):
        if isinstance(raw, dict):
            rows.append(ImportRow(f"{REVISIONS}[{index}]", REVISIONS, raw))
        else:
            problems.append(ImportProblem(f"{REVISIONS}[{index}]", "(revision)", "Must be an object of fields."))
    return rows, problems


def parse_json(text: str) -> tuple[list[ImportRow], list[ImportRow] | None, list[ImportProblem]]:
    """The records of ``{"records": {"networks": [...], ..., "practices": [...]}, "revisions": [...]}``, labelled
    ``practices[3]``, and its revisions (None when the document has no ``revisions``).

    Only the document's shape is checked here (known kinds, lists of objects, format and version); each
    record's fields are for its kind's schema.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return [], None, [ImportProblem("-", "(file)", f"Not valid JSON: {error}.")]
    if not isinstance(document, dict) or not isinstance(document.get("records"), dict):
        return [], None, [ImportProblem("-", "(file)", 'Must be an object with "records", as the export writes it.')]
    problems = [ImportProblem("-", key, "Unknown field.") for key in document
                if key not in ("format", "version", "licence", "records", REVISIONS)]
    if document.get("format", FORMAT_NAME) != FORMAT_NAME:
        problems.append(ImportProblem("-", "format", f"Must be {FORMAT_NAME!r}."))
    if document.get("version", FORMAT_VERSION) not in READABLE_VERSIONS:
        readable = " and ".join(map(str, READABLE_VERSIONS))
        problems.append(ImportProblem("-", "version", f"This registry reads versions {readable}."))
    rows = []
    for key, items in document["records"].items():
        if key not in KIND_BY_KEY:
            expected = ", ".join(KIND_BY_KEY)
            problems.append(ImportProblem("-", f"records.{key}", f"Unknown kind; expected one of {expected}."))
        elif not isinstance(items, list):
            problems.append(ImportProblem("-", f"records.{key}", "Must be a list of records."))
        else:
            for index, raw in enumerate(items):
                if isinstance(raw, dict):
                    rows.append(ImportRow(f"{key}[{index}]", key, raw))
                else:
                    problems.append(ImportProblem(f"{key}[{index}]", "(record)", "Must be an object of fields."))
    revisions, revision_problems = _revisions(document)
    return rows, revisions, problems + revision_problems

"""Export of the practices as a spreadsheet: one row each, in the conventions of ``cells``."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session as DbSession

from registry.services.exchange.cells import (
    BASE_LANGUAGES,
    CSV_FIELDS,
    LICENCE_COLUMN,
    MULTILINGUAL,
    neutralise,
    to_cell,
)
from registry.services.exchange.formats import LICENCE, PRACTICES
from registry.services.exchange.json_export import export_records


def export_csv(db: DbSession) -> str:
    """The practices, deleted ones included, one row each (``CSV_FIELDS``: their fields, then their stamps;
    reference data is in the JSON export only).

    Lists are joined with ``|``, sources are JSON text, an empty cell is no value; every cell is
    ``neutralise``-d against formula injection. The importer reads exactly this back.
    """
    practices = export_records(db, (PRACTICES,))[PRACTICES]
    present = {lang for p in practices for name in MULTILINGUAL for lang in (p.get(name) or {})}
    languages = sorted(present.union(BASE_LANGUAGES))
    header: list[str] = []
    for name in CSV_FIELDS:
        if name in MULTILINGUAL:
            header.extend(f"{name}.{lang}" for lang in languages)
        else:
            header.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, LICENCE_COLUMN])
    for practice in practices:
        cells: list[str] = []
        for name in CSV_FIELDS:
            if name in MULTILINGUAL:
                cells.extend((practice.get(name) or {}).get(lang, "") for lang in languages)
            else:
                cells.append(to_cell(name, practice.get(name)))
        writer.writerow([neutralise(cell) for cell in (*cells, LICENCE)])
    return out.getvalue()

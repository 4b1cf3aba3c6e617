"""Reading a CSV import: a spreadsheet of practices into rows, columns found by their header's names.

Columns may come in any order and any may be left out (a field left out takes its default), so a file
written by an older export, or by hand, reads as well as today's.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from registry.services.exchange.cells import (
    CSV_FIELDS,
    LICENCE_COLUMN,
    ML_COLUMN,
    MULTILINGUAL,
    PRACTICE_FIELDS,
    from_cell,
    restore,
)
from registry.services.exchange.formats import PRACTICES, ImportRow
from registry.services.exchange.report import ImportProblem

#: For each column's index, the field it holds and, for multilingual text, the language.
Columns = dict[int, tuple[str, str | None]]


def _header(header: list[str], line: str) -> tuple[Columns, list[ImportProblem]]:
    """Which field (and language) each column holds; unknown and repeated columns are problems."""
    columns: Columns = {}
    seen: set[str] = set()
    problems = []
    for index, name in enumerate(header):
        ml = ML_COLUMN.match(name)
        if name in seen:
            problems.append(ImportProblem(line, name, "Column appears twice."))
        elif ml:
            columns[index] = (ml.group(1), ml.group(2))
        elif name in CSV_FIELDS and name not in MULTILINGUAL:
            columns[index] = (name, None)
        elif name in MULTILINGUAL:
            problems.append(ImportProblem(line, name, f"One column per language, such as '{name}.fr'."))
        elif name != LICENCE_COLUMN:
            problems.append(ImportProblem(line, name, "Unknown column."))
        seen.add(name)
    return columns, problems


def _record(columns: Columns, cells: list[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A practice from one row's cells, and the ``(field, message)`` of cells that cannot be read.

    An empty cell is no value: ``None`` where the schema allows it, else the field is left out (its
    default, or "missing" when required).
    """
    record: dict[str, Any] = {}
    texts: dict[str, dict[str, str]] = {}
    unreadable = []
    for index, (name, language) in columns.items():
        cell = restore(cells[index])
        if language is not None:
            texts.setdefault(name, {})
            if cell:
                texts[name][language] = cell
        elif cell:
            try:
                record[name] = from_cell(name, cell)
            except json.JSONDecodeError as error:
                unreadable.append((name, f"Not valid JSON: {error}."))
        elif PRACTICE_FIELDS[name].allow_none:
            record[name] = None
    for name, text in texts.items():
        if text:
            record[name] = text
        elif PRACTICE_FIELDS[name].allow_none:
            record[name] = None
    return record, unreadable


def parse_csv(text: str) -> tuple[list[ImportRow], list[ImportProblem]]:
    """The practices of a CSV whose first non-empty row names the columns, each labelled by its starting line.

    A row with a cell that cannot be read is kept all the same, so that its schema names its other problems
    in the same report.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[ImportRow] = []
    problems: list[ImportProblem] = []
    columns: Columns | None = None
    width = 0
    start = 1
    try:
        for cells in reader:
            line, start = str(start), reader.line_num + 1  # the line this row starts on; the next one's
            if not any(cells):
                continue
            if columns is None:
                columns, header_problems = _header(cells, line)
                problems.extend(header_problems)
                width = len(cells)
                continue
            if len(cells) != width:
                problems.append(ImportProblem(line, "(row)", f"Has {len(cells)} cells where the header has {width}."))
                continue
            record, unreadable = _record(columns, cells)
            row = ImportRow(line, PRACTICES, record)
            problems.extend(ImportProblem(line, name, message, row.slug) for name, message in unreadable)
            rows.append(row)  # validated all the same, so that one report names all its problems
    except csv.Error as error:
        problems.append(ImportProblem(str(reader.line_num), "(file)", f"Not valid CSV: {error}."))
    if columns is None and not problems:
        problems.append(ImportProblem("-", "(file)", "Empty: the first row must name the columns."))
    return rows, problems

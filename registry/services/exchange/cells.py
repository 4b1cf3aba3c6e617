"""The CSV's conventions, shared by the export that writes them and the import that reads them back.

The columns are the practice input schema's fields (``PracticeSeedInput``, the one place they are
declared), then its stamps (``PracticeStampInput``: ``created_at``, ``updated_at``, ``version``,
``published_at``, ``deleted_at``): a field added there gets a column here. Each column is written
the way its schema field reads: multilingual text spreads over one column per language
(``title.en``, ``title.fr``, ...), lists of slugs or words are joined with ``|``, lists of objects
(sources) are JSON text, and every cell is guarded against spreadsheet formulas. A last
``licence`` column states the licence on every row.
"""

from __future__ import annotations

import json
import re
from typing import Any

from marshmallow import fields

from registry.services.exchange.stamps import PracticeStampInput
from registry.services.validation import PracticeSeedInput

#: A practice's fields as the write path loads them (seeds and imports carry ``status``), in declaration order,
#: then its stamps.
PRACTICE_FIELDS: dict[str, fields.Field] = dict(PracticeSeedInput().fields) | dict(PracticeStampInput().fields)

#: Which practice, in what state, with text in what language: the columns a reader of the sheet looks at
#: first. An order only; the columns themselves are ``PRACTICE_FIELDS``.
LEADING_COLUMNS = ("slug", "status", "original_language")


def _column_order(name: str) -> int:
    return LEADING_COLUMNS.index(name) if name in LEADING_COLUMNS else len(LEADING_COLUMNS)


#: The practice columns of the CSV, in order: ``LEADING_COLUMNS``, then the others as the schema declares them.
CSV_FIELDS: tuple[str, ...] = tuple(sorted(PRACTICE_FIELDS, key=_column_order))  # sorted() keeps ties in order
LICENCE_COLUMN = "licence"
#: Always given a column, so that the header stays the same while no practice uses another language.
BASE_LANGUAGES = ("en", "es", "fr", "pt")

# How each column is written, read off the practice schema so that the CSV follows it.
MULTILINGUAL = frozenset(n for n in CSV_FIELDS if isinstance(PRACTICE_FIELDS[n], fields.Dict))
JSON_CELLS = frozenset(  # lists of objects (sources): JSON text in the cell
    n for n in CSV_FIELDS
    if isinstance(field := PRACTICE_FIELDS[n], fields.List) and isinstance(field.inner, fields.Nested)
)
LIST_CELLS = frozenset(n for n in CSV_FIELDS if isinstance(PRACTICE_FIELDS[n], fields.List)) - JSON_CELLS
INTEGER_CELLS = frozenset(n for n in CSV_FIELDS if isinstance(PRACTICE_FIELDS[n], fields.Integer))
BOOLEAN_CELLS = frozenset(n for n in CSV_FIELDS if isinstance(PRACTICE_FIELDS[n], fields.Boolean))
#: The header of one language's column of a multilingual field: ``title.fr`` -> ``("title", "fr")``.
ML_COLUMN = re.compile(rf"^({'|'.join(sorted(MULTILINGUAL))})\.([a-z]{{2,3}})$")

#: What makes a spreadsheet read a cell as a formula (OWASP's list, tab and carriage return included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RESTORED = frozenset((*FORMULA_STARTS, "'"))


def restore(cell: str) -> str:
    """Undo ``neutralise``: drop the ``'`` that guards a formula-looking cell (or a cell that starts with ``'``)."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in _RESTORED else cell


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text: a formula-looking one gets a leading ``'``.

    A cell that ``restore`` would shorten gets one too, so that ``restore(neutralise(x)) == x`` always.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) or restore(cell) != cell else cell


def join_list(items: list[str]) -> str:
    """List items joined with ``|``; a ``|`` or ``\\`` inside an item is escaped with ``\\``."""
    return "|".join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_list(cell: str) -> list[str]:
    """The inverse of ``join_list``."""
    items: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def to_cell(name: str, value: Any) -> str:
    """The text of field ``name``'s (non-multilingual) cell, before ``neutralise``; ``from_cell`` reads it back."""
    if name in LIST_CELLS:
        return join_list(value or [])
    if name in JSON_CELLS:
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_cell(name: str, cell: str) -> Any:
    """The input value of a non-empty, ``restore``-d cell of field ``name``, for the schema to check.

    Raises ``json.JSONDecodeError`` for a JSON cell that is not JSON.
    """
    if name in LIST_CELLS:
        return split_list(cell)
    if name in JSON_CELLS:
        return json.loads(cell)
    if name in INTEGER_CELLS and re.fullmatch(r"-?[0-9]+", cell):
        return int(cell)
    if name in BOOLEAN_CELLS and cell in {"true", "false"}:
        return cell == "true"  # as to_cell writes them; anything else goes to the schema, which refuses it
    return cell  # anything else, as text: the schema checks and converts it

"""The practice reads' fast path: serializers compiled once from the marshmallow schemas.

The schemas (``schemas.PracticeSummarySchema``, ``PracticeSchema``) stay the contract: the OpenAPI
document is made from them, and ``compile_dump`` reads their fields once, at import, into plain
functions that give the same dictionary as ``Schema().dump`` (same keys, same order, same value
formats) without marshmallow's per-call work. A field of a kind it does not know is an error at
import, never a silent difference; tests/api/test_practices_render.py compares the bytes of both
paths.

``registry.api.remembered`` writes what they give with orjson, byte for byte as ``flask.jsonify``
would with the app's settings, so ETags and 304s are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import fields

from registry.api.common import UtcDateTime
from registry.services.practice_reads import Referenced
from registry.services.validation import MultilingualText

Dump = Callable[[Any], Any]


def _optional(convert: Dump) -> Dump:
    return lambda value: None if value is None else convert(value)


def _text(value: Any) -> str:
    return value if type(value) is str else str(value)


def _multilingual(value: dict[Any, Any]) -> dict[str, str]:
    return {_text(language): _text(text) for language, text in value.items()}


_utc = UtcDateTime()

#: How each kind of field gives its value (exact classes: a subclass may serialize differently).
_SCALARS: dict[type[fields.Field], Dump] = {
    fields.String: _optional(_text),
    fields.Integer: _optional(int),
    fields.Boolean: _optional(bool),
    fields.Date: _optional(lambda value: value.isoformat()),
    UtcDateTime: lambda value: _utc._serialize(value, None, None),
    MultilingualText: _optional(_multilingual),
}


def _shared(dump: Dump) -> Dump:
    """``dump``, made once per catalog record (``practice_reads.Referenced``) and kept on it: a page refers to
    the same few rights, groups and places hundreds of times. Nothing downstream changes a dumped value."""
    def shared_dump(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is Referenced:
            kept = value.dumps.get(dump)
            if kept is None:
                kept = value.dumps[dump] = dump(value)
            return kept
        return dump(value)

    return shared_dump


def _field_dump(field: fields.Field) -> Dump:
    kind = type(field)
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind is fields.Nested:
        return _shared(compile_dump(field.nested))  # type: ignore[arg-type]
    if kind is fields.List:
        inner = _field_dump(field.inner)  # type: ignore[attr-defined]
        return _optional(lambda values: [inner(value) for value in values])
    if kind is fields.Dict and field.key_field is not None and field.value_field is not None:  # type: ignore[attr-defined]
        keys, values = _field_dump(field.key_field), _field_dump(field.value_field)  # type: ignore[attr-defined]
        return _optional(lambda mapping: {keys(key): values(value) for key, value in mapping.items()})
    raise TypeError(f"compile_dump does not know {kind.__name__} (field {field.name!r}): teach it, or use the schema.")


def compile_dump(schema_class: type[ma.Schema]) -> Callable[[Any], dict[str, Any]]:
    """A plain function giving what ``schema_class().dump(record)`` gives for a record object, or for a
    dictionary (whose missing keys are left out, as marshmallow does)."""
    schema = schema_class()
    if any(schema._hooks.values()):  # noqa: SLF001
        raise TypeError(f"{schema_class.__name__} has hooks; compile_dump does not run them.")
    steps = [(field.data_key or name, field.attribute or name, _field_dump(field))
             for name, field in schema.dump_fields.items()]

    def dump(record: Any) -> dict[str, Any]:
        if isinstance(record, dict):
            return {key: convert(record[attribute]) for key, attribute, convert in steps if attribute in record}
        return {key: convert(getattr(record, attribute)) for key, attribute, convert in steps}

    return dump


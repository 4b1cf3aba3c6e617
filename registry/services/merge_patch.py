"""A partial update as a JSON Merge Patch (RFC 7396), for every kind of record.

A PATCH names only the fields that change. A multilingual field names only the languages that
change: ``{"title": {"es": "..."}}`` adds or replaces the Spanish text and keeps the others, and
``{"title": {"en": null}}`` removes the English one. The record's original language cannot be
removed that way (the record must keep its text in it). Every other value, lists included,
replaces the stored one, as RFC 7396 says; ``null`` for a whole field clears it where the field
may be empty (the kind's schema refuses it where it may not).
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from registry.services.errors import EditorialError
from registry.services.validation import multilingual_fields


def merged_values(schema: type[Schema], stored: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The value each field of ``changes`` takes once merged into ``stored`` (a record's snapshot).

    Raises ``EditorialError`` naming ``<field>.<language>`` when a change removes the text in the
    original language of the record it makes.
    """
    multilingual = multilingual_fields(schema)
    language = changes.get("original_language", stored.get("original_language"))
    merged: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name not in multilingual or not isinstance(value, dict):
            merged[name] = value
            continue
        text = dict(stored.get(name) or {})
        for code, words in value.items():
            if words is not None:
                text[code] = words
            elif code == language:
                errors[f"{name}.{code}"] = [
                    f"The text in the original language {code!r} cannot be removed: give new text, or change"
                    " original_language first."
                ]
            else:
                text.pop(code, None)
        merged[name] = text or None
    if errors:
        raise EditorialError("A change would remove text in the record's original language.", errors)
    return merged


def touched(schema: type[Schema], changes: dict[str, Any]) -> list[tuple[str, str | None]]:
    """What a patch changes, finely: ``(field, language)`` for each language of a multilingual value,
    ``(field, None)`` for any other value."""
    multilingual = multilingual_fields(schema)
    found: list[tuple[str, str | None]] = []
    for name, value in changes.items():
        if name in multilingual and isinstance(value, dict):
            found.extend((name, code) for code in value)
        else:
            found.append((name, None))
    return found


def value_at(values: dict[str, Any], name: str, language: str | None) -> Any:
    """The value of a field (or of one of its languages) in a snapshot."""
    value = values.get(name)
    if language is None:
        return value
    return (value or {}).get(language)

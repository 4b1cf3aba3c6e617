"""What an exchange file is: its two formats, the JSON document's name and version, the licence, the kinds
in write order, and ``ImportRow``, one record as a file gives it.

Both directions read these, so that an export names exactly what an import expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from registry.services.records import Kind
from registry.services.seeding import SEED_FILES

Format = Literal["json", "csv"]
FORMATS: tuple[Format, ...] = ("json", "csv")
FORMAT_NAME = "practice-registry"
#: 2: records carry their stamps (``stamps``), and the document the revisions (``history``). Version 1 files
#: (neither) still import.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
LICENCE = (
    "CC BY 4.0 (content): https://creativecommons.org/licenses/by/4.0/ - "
    "credit the Practice Registry and the sources each record cites."
)

#: Record kinds in the order they are written, keyed as in the JSON export (``networks`` ... ``practices``).
#: It is the seeds' order: a record names only records of the kinds before it, or a parent of its own kind.
KINDS: tuple[tuple[str, Kind], ...] = tuple((Path(name).stem, kind) for name, kind, _ in SEED_FILES)
KIND_BY_KEY: dict[str, Kind] = dict(KINDS)
PRACTICES = "practices"
#: How many rows one INSERT carries, and how many slugs one ``IN (...)`` names: well under every engine's
#: limit on bound parameters.
CHUNK = 500
#: The JSON document's list of revisions, beside its records.
REVISIONS = "revisions"


@dataclass
class ImportRow:
    """One record as a file gives it, and where: what the parsers make and ``importing`` validates and writes.

    ``label`` names the row in problems (the CSV line it starts on, or ``practices[3]`` in JSON); ``kind``
    and ``data`` are set once the row passed its kind's schema.
    """

    label: str
    key: str  # the export's name of its kind: "networks", ..., "practices"
    raw: dict[str, Any]
    kind: Kind | None = None
    data: dict[str, Any] | None = None  # the validated input, once valid
    stamp: dict[str, Any] = field(default_factory=dict)  # its validated stamps (``stamps``), once valid
    question_stamps: dict[int, dict[str, Any]] = field(default_factory=dict)  # a session's, by question number

    @property
    def slug(self) -> str | None:
        slug = self.raw.get("slug")
        return slug if isinstance(slug, str) and slug else None

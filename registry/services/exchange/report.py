"""What an import tells its caller: each problem by row and field, the counts, or the rejection."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from registry.services.exchange.formats import Format


@dataclass(frozen=True)
class ImportProblem:
    """One reason to reject an import. ``row`` is the CSV line where the row starts, or ``practices[3]``
    (the JSON path, counted from 0) for JSON; ``-`` for the file as a whole."""

    row: str
    field: str
    message: str
    slug: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" (slug {self.slug!r})" if self.slug else "")
        return f"{where}: {self.field}: {self.message}"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): counts per table and action, or the problems."""

    format: Format
    dry_run: bool
    rows: int = 0
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: list[ImportProblem] = field(default_factory=list)
    #: The file's revisions: how many were restored, how many left out (a registry with a history keeps its own).
    revisions: Counter[str] = field(default_factory=Counter)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems

    def total(self, action: str) -> int:
        return sum(n for (_, a), n in self.counts.items() if a == action)

    def by_kind(self) -> dict[str, dict[str, int]]:
        """``{"practices": {"created": 2, "updated": 0, "unchanged": 5}, ...}`` in write order."""
        tables = dict.fromkeys(table for table, _ in self.counts)
        return {t: {a: self.counts[(t, a)] for a in ("created", "updated", "unchanged")} for t in tables}

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (for the HTTP answer)."""
        return {
            "format": self.format, "dry_run": self.dry_run, "written": self.written, "rows": self.rows,
            "counts": self.by_kind(),
            "revisions": {"restored": self.revisions["restored"], "left_out": self.revisions["left_out"]},
            "problems": [{"row": p.row, "field": p.field, "message": p.message, "slug": p.slug} for p in self.problems],
        }


class ImportRejected(Exception):
    """The import found problems and wrote nothing; ``report.problems`` lists every one found."""

    def __init__(self, report: ImportReport):
        super().__init__(f"Import rejected, nothing written ({len(report.problems)} problem(s))")
        self.report = report

    @property
    def problems(self) -> list[ImportProblem]:
        return self.report.problems

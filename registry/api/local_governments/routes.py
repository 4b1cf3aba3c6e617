"""/local-governments: the municipalities, provinces and regions practices belong to; edited by staff."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from registry.api.collections import Collection, make_blueprint, writes_for
from registry.api.local_governments.schemas import (
    LocalGovernmentArgsSchema,
    LocalGovernmentDetailSchema,
    LocalGovernmentSchema,
)
from registry.models import LocalGovernment
from registry.services import local_governments
from registry.services.kinds import EDITABLE
from registry.services.validation import LocalGovernmentInput


class WithCounts:
    """A local government with its practice counts alongside, for serialization."""

    def __init__(self, record: LocalGovernment):
        self._record = record
        self.__dict__.update(local_governments.practice_counts(record))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def _options() -> list[Any]:
    return [selectinload(LocalGovernment.parent), selectinload(LocalGovernment.networks)]


blp = make_blueprint(
    Collection(
        "local-governments", LocalGovernment, LocalGovernmentSchema, "local government", "local governments",
        "Municipalities, provinces, metropolitan areas and regions, placed on the map.",
        lambda: (LocalGovernment.slug,), detail_schema=LocalGovernmentDetailSchema,
        args_schema=LocalGovernmentArgsSchema, narrow=local_governments.narrow,
        list_options=_options, detail_options=_options, detail=WithCounts, example="madrid",
        writes=writes_for(
            EDITABLE["local-governments"], LocalGovernmentInput, role="editor", source="name",
            example={
                "name": {"ca": "Barcelona", "es": "Barcelona", "en": "Barcelona"}, "original_language": "ca",
                "kind": "municipality", "country": "ES", "m49_region": "150", "m49_sub_region": "039",
                "latitude": 41.39, "longitude": 2.17, "networks": ["uclg"],
                "provenance": "Added by network staff.",
            },
            update_example={"website": "https://www.barcelona.cat/"},
        ),
    )
)

"""Typed SQLAlchemy 2 models of the whole registry (design.md §2)."""

from registry.models.base import Base
from registry.models.editorial import ApiToken, IdempotencyKey, PracticeProposal, Revision
from registry.models.feed import Change
from registry.models.places import LocalGovernment, Network, Organisation, Person
from registry.models.practices import Practice, PracticeSource
from registry.models.reference import (
    GcmObjective,
    GcmPrinciple,
    PracticeType,
    Right,
    SdgTarget,
    TargetGroup,
)
from registry.models.sessions import Question, Session, SessionParticipant

__all__ = [
    "ApiToken",
    "Change",
    "IdempotencyKey",
    "Base",
    "GcmObjective",
    "GcmPrinciple",
    "LocalGovernment",
    "Network",
    "Organisation",
    "Person",
    "Practice",
    "PracticeProposal",
    "PracticeSource",
    "PracticeType",
    "Question",
    "Revision",
    "Right",
    "SdgTarget",
    "Session",
    "SessionParticipant",
    "TargetGroup",
]

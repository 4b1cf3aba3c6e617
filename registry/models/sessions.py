"""Conference sessions, their participants and the questions they put."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import (
    Base,
    EditableMixin,
    MLText,
    SlugColumn,
    enum_check,
    language_check,
    ml_check,
    slug_check,
)
from registry.models.places import Person

ML = dict[str, str]
PARTICIPANT_ROLES = ("speaker", "moderator")


class Session(EditableMixin, Base):
    __tablename__ = "sessions"
    __table_args__ = (
        *slug_check(),
        *language_check(),
        *ml_check("title"),
        *ml_check("description", required=False),
        CheckConstraint("end_time IS NULL OR start_time IS NULL OR end_time > start_time", name="time_order"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    title: Mapped[ML] = mapped_column(MLText)
    description: Mapped[ML | None] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))
    date: Mapped[date | None] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    provenance: Mapped[str | None] = mapped_column(String(2000))

    participants: Mapped[list[SessionParticipant]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionParticipant.position"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="session", order_by="Question.number"
    )


class SessionParticipant(Base):
    """A person speaking at or moderating a session."""

    __tablename__ = "session_participants"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", "role"),
        enum_check("role", PARTICIPANT_ROLES),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    session: Mapped[Session] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()


class Question(EditableMixin, Base):
    """A question a session puts; its public id is ``<session-slug>-q<number>``."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("session_id", "number"),
        *slug_check(),
        *language_check(),
        *ml_check("text"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[ML] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))

    session: Mapped[Session] = relationship(back_populates="questions")

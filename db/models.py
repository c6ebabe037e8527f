"""The database schema: SQLAlchemy 2 typed declarative models.

Every offset (``start``/``end``) is a character offset into the *normalized*
text of its source unless the column name says otherwise (``orig_start``).
Dates are proleptic-Gregorian day numbers (``datetime.date.toordinal()``) so
that interval queries are integer comparisons; ``earliest``/``latest`` are
inclusive.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SCHEMA_VERSION = 1

ENTITY_TYPES = ("person", "place", "polity", "organisation", "military_unit", "group")
PRECISIONS = ("day", "part_of_month", "month", "season", "year", "decade", "century")
EVENT_KINDS = (
    "battle",
    "massacre",
    "invasion",
    "occupation",
    "uprising",
    "treaty",
    "ceasefire",
    "proclamation",
    "negotiation",
    "political",
    "withdrawal",
    "other",
)
PASSAGE_KINDS = ("sentence", "heading", "caption", "infobox", "bibliography", "list_item")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Meta(Base):
    """Key/value facts about the build: schema version, input hash, pipeline version."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Meta({self.key!r}={self.value!r})"


class Source(Base):
    """One document: its catalogue entry, its text as read and as normalized."""

    __tablename__ = "source"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    author: Mapped[str | None] = mapped_column(String)
    kind: Mapped[str | None] = mapped_column(String)
    language: Mapped[str | None] = mapped_column(String)
    perspective: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String)  # detected: markdown, plain, ...
    encoding: Mapped[str] = mapped_column(String)  # how the bytes were decoded
    sha256: Mapped[str] = mapped_column(String)
    # The text exactly as decoded from the file, and the repaired text every
    # offset in the database points into. The map between them is `repairs`.
    original_text: Mapped[str] = mapped_column(Text)
    normalized_text: Mapped[str] = mapped_column(Text)
    # Structured data from front matter / infobox rows, as parsed.
    infobox: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Messages for the user about this document (fallback decoding, bad YAML, ...).
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String, default="bundled")  # bundled | imported

    repairs: Mapped[list[Repair]] = relationship(
        back_populates="source", order_by="Repair.norm_start"
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="source", order_by="Section.start"
    )
    passages: Mapped[list[Passage]] = relationship(
        back_populates="source", order_by="Passage.start"
    )

    def __repr__(self) -> str:
        return f"Source({self.id!r}, {self.title!r})"


class Repair(Base):
    """One change normalization made: original span → normalized span."""

    __tablename__ = "repair"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    kind: Mapped[str] = mapped_column(
        String
    )  # mojibake, stripped_dash, stripped_char, removed_markup, ...
    orig_start: Mapped[int] = mapped_column(Integer)
    orig_end: Mapped[int] = mapped_column(Integer)
    norm_start: Mapped[int] = mapped_column(Integer)
    norm_end: Mapped[int] = mapped_column(Integer)
    original: Mapped[str] = mapped_column(Text)
    replacement: Mapped[str] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="repairs")

    def __repr__(self) -> str:
        return f"Repair({self.kind}, {self.original!r}→{self.replacement!r})"


class Section(Base):
    """A heading-delimited part of a source (the whole text when there are no headings)."""

    __tablename__ = "section"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("section.id"))
    ordinal: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)  # 0 = document body before any heading
    title: Mapped[str] = mapped_column(String)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    source: Mapped[Source] = relationship(back_populates="sections")

    def __repr__(self) -> str:
        return f"Section({self.source_id}, {self.title!r})"


class Paragraph(Base):
    __tablename__ = "paragraph"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String)  # text, heading, caption, infobox, bibliography, list
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"Paragraph({self.source_id}#{self.ordinal}, {self.kind})"


class Passage(Base):
    """A sentence (or caption, heading, infobox row): the unit of evidence and search."""

    __tablename__ = "passage"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"))
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id"))
    ordinal: Mapped[int] = mapped_column(Integer)  # order within the source
    kind: Mapped[str] = mapped_column(String)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="passages")

    __table_args__ = (Index("ix_passage_source_start", "source_id", "start"),)

    def __repr__(self) -> str:
        return f"Passage({self.source_id}:{self.start}-{self.end})"


class Entity(Base):
    __tablename__ = "entity"
    id: Mapped[str] = mapped_column(String, primary_key=True)  # stable slug, e.g. "shusha"
    type: Mapped[str] = mapped_column(String, index=True)  # one of ENTITY_TYPES
    name: Mapped[str] = mapped_column(String)
    description: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    coord_approx: Mapped[bool] = mapped_column(default=True)
    curated: Mapped[bool] = mapped_column(default=True)  # False: discovered in an uncurated text
    # Denormalized counts for the entity pane, filled at the end of the build.
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)

    aliases: Mapped[list[Alias]] = relationship(back_populates="entity")

    def __repr__(self) -> str:
        return f"Entity({self.id!r}, {self.type}, {self.name!r})"


class Alias(Base):
    __tablename__ = "alias"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"), index=True)
    text: Mapped[str] = mapped_column(String)
    ambiguous: Mapped[bool] = mapped_column(default=False)

    entity: Mapped[Entity] = relationship(back_populates="aliases")

    def __repr__(self) -> str:
        return f"Alias({self.text!r}→{self.entity_id})"


class Mention(Base):
    __tablename__ = "mention"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"))
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    passage_id: Mapped[int] = mapped_column(ForeignKey("passage.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String)
    method: Mapped[str] = mapped_column(String)  # gazetteer, context, discovered, infobox
    as_participant: Mapped[bool] = mapped_column(
        default=True
    )  # False: adjective use ("Armenian villages")

    __table_args__ = (
        Index("ix_mention_entity", "entity_id"),
        Index("ix_mention_passage", "passage_id"),
        Index("ix_mention_source_start", "source_id", "start"),
    )

    def __repr__(self) -> str:
        return f"Mention({self.entity_id}@{self.source_id}:{self.start})"


class TimeExpression(Base):
    __tablename__ = "time_expression"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    passage_id: Mapped[int] = mapped_column(ForeignKey("passage.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String)
    value: Mapped[str | None] = mapped_column(
        String
    )  # EDTF-like: 1918-03-30, 1918-03, 1918-05-21/1918-05-31
    earliest: Mapped[int | None] = mapped_column(Integer)
    latest: Mapped[int | None] = mapped_column(Integer)
    precision: Mapped[str] = mapped_column(String)  # PRECISIONS or "duration"
    kind: Mapped[str] = mapped_column(
        String
    )  # absolute, underspecified, relative, range, duration, dual_calendar
    calendar: Mapped[str] = mapped_column(String, default="gregorian")
    julian: Mapped[str | None] = mapped_column(String)  # the Julian reading as written
    anchor_id: Mapped[int | None] = mapped_column(ForeignKey("time_expression.id"))
    confidence: Mapped[float] = mapped_column(default=1.0)

    __table_args__ = (Index("ix_timex_source_start", "source_id", "start"),)

    def __repr__(self) -> str:
        return f"TimeExpression({self.text!r}={self.value})"


class Phase(Base):
    """A phase of the war, drawn as a band behind the timeline's events."""

    __tablename__ = "phase"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(String)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("phase.id"))
    earliest: Mapped[int] = mapped_column(Integer)
    latest: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Phase({self.id!r})"


class Event(Base):
    __tablename__ = "event"
    id: Mapped[str] = mapped_column(String, primary_key=True)  # stable across rebuilds
    # Integer row key for the R*Tree index (rtree ids must be integers).
    rowkey: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String, index=True)
    earliest: Mapped[int] = mapped_column(Integer)
    latest: Mapped[int] = mapped_column(Integer)
    precision: Mapped[str] = mapped_column(String)
    value: Mapped[str] = mapped_column(String)  # compact date text (EDTF-like)
    date_text: Mapped[str] = mapped_column(String)  # as written in the primary evidence
    julian: Mapped[str | None] = mapped_column(String)
    date_inferred: Mapped[bool] = mapped_column(default=False)  # year/day taken from narrative
    date_confidence: Mapped[float] = mapped_column(default=1.0)
    anchor_text: Mapped[str | None] = mapped_column(String)  # what an inferred date was anchored on
    phase_id: Mapped[str | None] = mapped_column(ForeignKey("phase.id"), index=True)
    origin: Mapped[str] = mapped_column(String, default="extracted")  # extracted | curated | user
    key_event: Mapped[bool] = mapped_column(
        default=False
    )  # in the curated list of key events (kiosk tour)
    conflicts: Mapped[list[Any]] = mapped_column(JSON, default=list)  # differences between accounts

    evidence: Mapped[list[Evidence]] = relationship(back_populates="event", order_by="Evidence.id")
    participants: Mapped[list[Participant]] = relationship(back_populates="event")

    __table_args__ = (Index("ix_event_interval", "earliest", "latest"),)

    def __repr__(self) -> str:
        return f"Event({self.id!r}, {self.title!r})"


class Evidence(Base):
    """One passage (or clause of it) attesting an event, with what it says of it."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    passage_id: Mapped[int] = mapped_column(ForeignKey("passage.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    timex_id: Mapped[int | None] = mapped_column(ForeignKey("time_expression.id"))
    date_text: Mapped[str | None] = mapped_column(String)  # how this account dates it
    value: Mapped[str | None] = mapped_column(String)  # its normalized date
    numbers: Mapped[list[Any]] = mapped_column(
        JSON, default=list
    )  # [{"text": "up to 12,000", "value": 12000, "what": "killed"}]

    event: Mapped[Event] = relationship(back_populates="evidence")

    __table_args__ = (
        Index("ix_evidence_event", "event_id"),
        Index("ix_evidence_passage", "passage_id"),
    )

    def __repr__(self) -> str:
        return f"Evidence({self.event_id}@{self.source_id}:{self.start})"


class Participant(Base):
    __tablename__ = "participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"))
    entity_id: Mapped[str] = mapped_column(ForeignKey("entity.id"))
    role: Mapped[str] = mapped_column(String)  # agent, target, commander, place, participant

    event: Mapped[Event] = relationship(back_populates="participants")

    __table_args__ = (
        Index("ix_participant_event", "event_id"),
        Index("ix_participant_entity", "entity_id"),
    )

    def __repr__(self) -> str:
        return f"Participant({self.entity_id} as {self.role} in {self.event_id})"


class Fact(Base):
    """A structured fact from an infobox: combatant, commander or strength of a side."""

    __tablename__ = "fact"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    conflict: Mapped[str] = mapped_column(String)  # the infobox's conflict name
    side: Mapped[int | None] = mapped_column(Integer)  # 1, 2, 3 ... as in the infobox
    role: Mapped[str] = mapped_column(
        String
    )  # combatant, commander, strength, casualties, date, result, ...
    text: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entity.id"))

    def __repr__(self) -> str:
        return f"Fact({self.role} side {self.side}: {self.text!r})"


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, for fast executemany inserts that skip the ORM."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Virtual tables that SQLAlchemy does not model; created by `db.schema.create_all`.
VIRTUAL_TABLES = (
    # Interval index for viewport queries: events by [earliest, latest] day.
    "CREATE VIRTUAL TABLE IF NOT EXISTS event_rtree USING rtree_i32(rowkey, earliest, latest)",
    # Full-text search over passages; diacritics folded so Kazim finds Kâzım.
    "CREATE VIRTUAL TABLE IF NOT EXISTS passage_fts USING fts5("
    "text, content='passage', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3 4')",
)

"""What every exporter writes: the filtered events with their evidence, participants and sources.

Loaded once with plain dataclasses, so each format's writer is a pure function
of this data and no writer runs its own queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.filters import Filters, event_clause
from db.models import (
    Alias,
    Entity,
    Event,
    Evidence,
    Mention,
    Participant,
    Phase,
    Source,
    TimeExpression,
)
from db.review import ReviewOverlay

EXPORT_PRECISIONS = ("day", "part_of_month", "month", "season", "year")


@dataclass(frozen=True)
class XSource:
    id: str
    title: str
    author: str | None
    kind: str | None
    text: str


@dataclass(frozen=True)
class XMention:
    source: str
    start: int
    end: int


@dataclass
class XEntity:
    id: str
    type: str
    name: str
    description: str | None
    lat: float | None
    lon: float | None
    coord_approx: bool
    aliases: list[str] = field(default_factory=list)
    mentions: list[XMention] = field(default_factory=list)


@dataclass(frozen=True)
class XEvidence:
    source: str
    start: int
    end: int
    text: str
    date_text: str | None


@dataclass
class XEvent:
    id: str
    title: str
    kind: str
    earliest: int
    latest: int
    precision: str
    julian: str | None
    date_text: str
    phase_id: str | None
    origin: str
    participants: list[tuple[str, str]] = field(default_factory=list)  # (entity id, role)
    evidence: list[XEvidence] = field(default_factory=list)

    @property
    def export_precision(self) -> str:
        return self.precision if self.precision in EXPORT_PRECISIONS else "year"

    @property
    def start_text(self) -> str:
        return day_text(self.earliest, self.precision)

    @property
    def end_text(self) -> str | None:
        end = day_text(self.latest, self.precision)
        return None if end == self.start_text else end

    @property
    def places(self) -> list[str]:
        return [e for e, role in self.participants if role == "place"]

    @property
    def actors(self) -> list[str]:
        return [e for e, role in self.participants if role != "place"]


@dataclass(frozen=True)
class XPhase:
    id: str
    title: str
    parent_id: str | None
    earliest: int
    latest: int


@dataclass(frozen=True)
class XTimex:
    source: str
    start: int
    end: int
    earliest: int | None
    latest: int | None
    precision: str


@dataclass
class ExportData:
    sources: list[XSource]
    entities: list[XEntity]  # every entity (the complete export); see `involved`
    events: list[XEvent]
    phases: list[XPhase]
    timexes: list[XTimex]
    filtered: bool

    @property
    def involved(self) -> list[XEntity]:
        """Entities taking part in the exported events (all of them when nothing is filtered)."""
        if not self.filtered:
            return self.entities
        ids = {e for ev in self.events for e, _r in ev.participants}
        return [e for e in self.entities if e.id in ids]


def day_text(day: int, precision: str) -> str:
    """A day number as YYYY, YYYY-MM or YYYY-MM-DD depending on precision."""
    d = date.fromordinal(day)
    if precision in ("year", "decade", "century"):
        return f"{d.year:04d}"
    if precision in ("month", "season"):
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def load(
    engine: Engine, filters: Filters | None = None, review: ReviewOverlay | None = None
) -> ExportData:
    """Everything an exporter needs, restricted to the events that pass ``filters``.

    With ``review`` (:mod:`db.review`), the chronology as the reviewer left it: rejected
    events left out, corrections applied, linked evidence added and the reviewer's own
    events included (``origin: "user"``).
    """
    filters = filters or Filters()
    statuses = dict(review.statuses) if review is not None else None
    with Session(engine) as s:
        src_query = select(Source).order_by(Source.ordinal)
        sources = [
            XSource(x.id, x.title, x.author, x.kind, x.normalized_text)
            for x in s.scalars(src_query)
        ]
        if filters.sources:
            sources = [x for x in sources if x.id in filters.sources]
        source_ids = {x.id for x in sources}

        entities: dict[str, XEntity] = {}
        for ent in s.scalars(select(Entity).order_by(Entity.id)):
            entities[ent.id] = XEntity(
                ent.id, ent.type, ent.name, ent.description, ent.lat, ent.lon, ent.coord_approx
            )
        for a in s.execute(select(Alias.entity_id, Alias.text).order_by(Alias.entity_id, Alias.id)):
            if a.entity_id in entities and a.text not in entities[a.entity_id].aliases:
                entities[a.entity_id].aliases.append(a.text)
        mention_query = select(
            Mention.entity_id, Mention.source_id, Mention.start, Mention.end
        ).order_by(Mention.source_id, Mention.start, Mention.id)
        for m in s.execute(mention_query):
            if m.entity_id in entities and m.source_id in source_ids:
                entities[m.entity_id].mentions.append(XMention(m.source_id, m.start, m.end))

        events: dict[str, XEvent] = {}
        for ev in s.scalars(
            select(Event)
            .where(event_clause(filters, review=statuses))
            .order_by(Event.earliest, Event.id)
        ):
            events[ev.id] = XEvent(
                ev.id,
                ev.title,
                ev.kind,
                ev.earliest,
                ev.latest,
                ev.precision,
                ev.julian,
                ev.date_text,
                ev.phase_id,
                ev.origin,
            )
        for p in s.execute(
            select(Participant.event_id, Participant.entity_id, Participant.role).order_by(
                Participant.id
            )
        ):
            if p.event_id in events:
                events[p.event_id].participants.append((p.entity_id, p.role))
        for evd in s.scalars(select(Evidence).order_by(Evidence.id)):
            if evd.event_id in events and evd.source_id in source_ids:
                events[evd.event_id].evidence.append(
                    XEvidence(evd.source_id, evd.start, evd.end, evd.text, evd.date_text)
                )
        phases = [
            XPhase(ph.id, ph.title, ph.parent_id, ph.earliest, ph.latest)
            for ph in s.scalars(select(Phase).order_by(Phase.earliest, Phase.id))
        ]
        timexes = [
            XTimex(t.source_id, t.start, t.end, t.earliest, t.latest, t.precision)
            for t in s.execute(
                select(
                    TimeExpression.source_id,
                    TimeExpression.start,
                    TimeExpression.end,
                    TimeExpression.earliest,
                    TimeExpression.latest,
                    TimeExpression.precision,
                ).order_by(TimeExpression.source_id, TimeExpression.start)
            )
            if t.source_id in source_ids
        ]
    if review is not None:
        _apply_review(events, review, filters, source_ids)
    # An event whose every piece of evidence lies in a filtered-out source is not exported.
    kept = sorted(
        (ev for ev in events.values() if ev.evidence), key=lambda ev: (ev.earliest, ev.id)
    )
    return ExportData(
        sources, list(entities.values()), kept, phases, timexes, not filters.is_empty()
    )


def _apply_review(
    events: dict[str, XEvent], review: ReviewOverlay, filters: Filters, source_ids: set[str]
) -> None:
    """Rejected events out; changed and the reviewer's own events in, with their values."""
    for eid in review.rejected:
        events.pop(eid, None)
    for e in review.events.values():
        old = events.pop(e.id, None)
        if e.id in review.rejected or not review.matches(e, filters):
            continue
        evidence = [
            ev
            for ev in (old.evidence if old is not None else [])
            if any(
                (x.source_id, x.start, x.end) == (ev.source, ev.start, ev.end) for x in e.evidence
            )
        ]
        evidence += [
            XEvidence(x.source_id, x.start, x.end, x.text, None)
            for x in e.evidence
            if x.annotation_id is not None and x.source_id in source_ids
        ]
        events[e.id] = XEvent(
            e.id,
            e.title,
            e.kind,
            e.earliest,
            e.latest,
            e.precision,
            old.julian if old is not None and "date" not in e.corrected else None,
            e.value if old is None or "date" in e.corrected else old.date_text,
            e.phase_id,
            e.origin,
            list(e.participants),
            evidence,
        )

"""The query layer the GUI calls: plain dataclasses in, plain dataclasses out.

Pure Python + SQLAlchemy. Every function opens its own short session and
returns values (dataclasses, tuples, ids), never ORM objects, so views never
hold live database state. Functions that list events take a
:class:`db.filters.Filters` and apply :func:`db.filters.event_clause`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, Engine, bindparam, func, or_, select, true, tuple_
from sqlalchemy.orm import Session

from db.filters import UNREVIEWED, Filters, event_clause
from db.models import (
    ENTITY_TYPES,
    Entity,
    Event,
    Evidence,
    Mention,
    Participant,
    Passage,
    Phase,
    Repair,
    Section,
    Source,
)
from db.offsets import OffsetMap
from db.review import EMPTY, ReviewOverlay

if TYPE_CHECKING:
    from db.workspace.effective import EffectiveEvent

# --- value objects ---------------------------------------------------------


@dataclass(frozen=True)
class SourceInfo:
    """A source's catalogue entry (no text)."""

    id: str
    ordinal: int
    title: str
    author: str | None
    kind: str | None
    language: str | None
    perspective: str | None
    format: str
    repair_count: int


class SourceText:
    """A source's two texts and the map between their offsets.

    The text as the source has it is read on first use: the reading view shows the
    repaired text, and reading both of a 2 MB document doubled its first opening.
    """

    __slots__ = ("_engine", "_original", "id", "normalized", "offsets")

    def __init__(
        self,
        id: str,
        original: str | None,
        normalized: str,
        offsets: OffsetMap,
        engine: Engine | None = None,
    ) -> None:
        self.id = id
        self._original = original
        self.normalized = normalized
        self.offsets = offsets
        self._engine = engine

    @property
    def original(self) -> str:
        if self._original is None:
            if self._engine is None:
                raise ValueError(f"source {self.id!r}: no original text and no database to read")
            with self._engine.connect() as con:
                self._original = str(
                    con.execute(
                        select(Source.original_text).where(Source.id == self.id)
                    ).scalar_one()
                )
        return self._original


@dataclass(frozen=True)
class SectionRow:
    id: int
    parent_id: int | None
    level: int
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class EntityRow:
    id: str
    type: str
    name: str
    curated: bool
    mention_count: int
    event_count: int
    source_count: int


@dataclass(frozen=True)
class EventRow:
    id: str
    title: str
    kind: str
    earliest: int
    latest: int
    precision: str
    value: str
    status: str = UNREVIEWED  # the reviewer's status: "rejected" rows are drawn dimmed

    @property
    def date_label(self) -> str:
        return self.value or date_label(self.earliest, self.latest, self.precision)


@dataclass(frozen=True)
class Span:
    """A range of a source's normalized text, with what it belongs to."""

    source_id: str
    start: int
    end: int
    owner: str  # the event id (evidence) or entity id (mention)
    passage_id: int | None = None
    entity_type: str | None = None


@dataclass(frozen=True)
class Account:
    """One piece of evidence for an event: what that source says of it."""

    evidence_id: int
    source_id: str
    source_title: str
    passage_id: int
    start: int
    end: int
    text: str
    date_text: str | None
    value: str | None
    numbers: tuple[tuple[str, Any, str], ...]  # (text, value, what)


@dataclass(frozen=True)
class ParticipantRow:
    entity_id: str
    name: str
    type: str
    role: str
    curated: bool


@dataclass(frozen=True)
class EventDetail:
    id: str
    title: str
    kind: str
    earliest: int
    latest: int
    precision: str
    value: str
    date_text: str
    julian: str | None
    date_inferred: bool
    date_confidence: float
    anchor_text: str | None
    origin: str
    key_event: bool
    phase_id: str | None
    phase_title: str | None
    conflicts: tuple[Any, ...]
    accounts: tuple[Account, ...]
    participants: tuple[ParticipantRow, ...]
    status: str = UNREVIEWED  # the reviewer's status
    corrected: frozenset[str] = frozenset()  # fields the reviewer changed

    @property
    def date_label(self) -> str:
        return self.value or date_label(self.earliest, self.latest, self.precision)


@dataclass(frozen=True)
class EventLinks:
    """What selecting an event lights up: evidence spans and participant ids."""

    event_id: str
    evidence: tuple[Span, ...]  # ordered by source ordinal, then offset
    participants: frozenset[str]
    places: frozenset[str]
    types: tuple[tuple[str, str], ...] = ()  # (entity id, entity type) for each of them

    @property
    def entities(self) -> frozenset[str]:
        return self.participants | self.places


@dataclass(frozen=True)
class Counts:
    events: int
    events_total: int
    entities: int
    sources: int
    passages: int


def date_label(earliest: int, latest: int, precision: str) -> str:
    """A compact human date for a day-number interval at a precision."""
    a, b = date.fromordinal(earliest), date.fromordinal(latest)
    if precision == "year":
        return str(a.year) if a.year == b.year else f"{a.year}–{b.year}"
    if precision in ("month", "season", "part_of_month"):
        fa = a.strftime("%Y-%m")
        fb = b.strftime("%Y-%m")
        return fa if fa == fb else f"{fa} – {fb}"
    if a == b:
        return a.isoformat()
    return f"{a.isoformat()} – {b.isoformat()}"


# --- sources ----------------------------------------------------------------


def sources(engine: Engine) -> list[SourceInfo]:
    """Every source's catalogue entry, in catalogue order."""
    with Session(engine) as s:
        repairs = dict(
            s.execute(select(Repair.source_id, func.count()).group_by(Repair.source_id)).all()
        )
        rows = s.execute(
            select(
                Source.id,
                Source.ordinal,
                Source.title,
                Source.author,
                Source.kind,
                Source.language,
                Source.perspective,
                Source.format,
            ).order_by(Source.ordinal, Source.id)
        ).all()
    return [SourceInfo(*r, repair_count=int(repairs.get(r[0], 0))) for r in rows]


def source_text(engine: Engine, source_id: str) -> SourceText:
    """A source's normalized text (the original is read when first asked for) with the offset
    map between them."""
    with engine.connect() as s:
        normalized = s.execute(
            select(Source.normalized_text).where(Source.id == source_id)
        ).scalar_one()
        reps = s.execute(
            select(Repair.norm_start, Repair.norm_end, Repair.orig_start, Repair.orig_end).where(
                Repair.source_id == source_id
            )
        ).all()
    offsets = OffsetMap([(a, b, c, d) for a, b, c, d in reps])
    return SourceText(source_id, None, str(normalized), offsets, engine)


def phases(engine: Engine) -> list[tuple[str, str]]:
    """(id, title) of every phase, in date order (outer phases before those they contain)."""
    with Session(engine) as s:
        rows = s.execute(
            select(Phase.id, Phase.title).order_by(Phase.earliest, Phase.latest.desc(), Phase.id)
        ).all()
    return [(str(i), str(t)) for i, t in rows]


def sections(engine: Engine, source_id: str) -> list[SectionRow]:
    """A source's section outline in text order (level-0 body sections included)."""
    with Session(engine) as s:
        rows = s.execute(
            select(
                Section.id,
                Section.parent_id,
                Section.level,
                Section.title,
                Section.start,
                Section.end,
            )
            .where(Section.source_id == source_id)
            .order_by(Section.start, Section.ordinal)
        ).all()
    return [SectionRow(*r) for r in rows]


# --- entities ---------------------------------------------------------------

ENTITY_SORT_KEYS = ("name", "mention_count", "event_count", "source_count")


def _entity_scope(filters: Filters | None) -> Any:
    """Entities taking part in events that pass the filters (None: no restriction).

    The entity filter itself is ignored here, so the pane that sets it can
    still show (and unselect) every entity.
    """
    if filters is None:
        return None
    from dataclasses import replace

    f = replace(filters, entities=frozenset(), entities_all=False)
    if f.is_empty():
        return None
    return (
        select(Participant.entity_id)
        .join(Event, Event.id == Participant.event_id)
        .where(event_clause(f))
    )


def entity_type_counts(
    engine: Engine, filters: Filters | None = None, text: str = ""
) -> dict[str, int]:
    """How many entities of each type pass the filters and the name filter."""
    q = select(Entity.type, func.count()).group_by(Entity.type)
    q = _entity_where(q, filters, text)
    with Session(engine) as s:
        found = {t: int(n) for t, n in s.execute(q).all()}
    return {
        t: found[t] for t in (*ENTITY_TYPES, *sorted(set(found) - set(ENTITY_TYPES))) if t in found
    }


def _entity_where(q: Any, filters: Filters | None, text: str) -> Any:
    scope = _entity_scope(filters)
    if scope is not None:
        q = q.where(Entity.id.in_(scope))
    if text:
        like = f"%{text}%"
        q = q.where(or_(Entity.name.ilike(like), Entity.id.ilike(like)))
    return q


def entity_ids(
    engine: Engine,
    entity_type: str,
    filters: Filters | None = None,
    text: str = "",
    sort: str = "name",
    descending: bool = False,
) -> list[str]:
    """Ids of one type's entities passing the filters, sorted by a column of ENTITY_SORT_KEYS."""
    if sort not in ENTITY_SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}")
    col = getattr(Entity, sort)
    order = col.desc() if descending else col.asc()
    q = select(Entity.id).where(Entity.type == entity_type).order_by(order, Entity.id)
    q = _entity_where(q, filters, text)
    with Session(engine) as s:
        return list(s.scalars(q).all())


def entity_rows(engine: Engine, ids: Iterable[str]) -> dict[str, EntityRow]:
    """Display rows for the given entity ids (missing ids are left out)."""
    wanted = list(dict.fromkeys(ids))
    out: dict[str, EntityRow] = {}
    with Session(engine) as s:
        for i in range(0, len(wanted), 500):
            rows = s.execute(
                select(
                    Entity.id,
                    Entity.type,
                    Entity.name,
                    Entity.curated,
                    Entity.mention_count,
                    Entity.event_count,
                    Entity.source_count,
                ).where(Entity.id.in_(wanted[i : i + 500]))
            ).all()
            for r in rows:
                out[r[0]] = EntityRow(r[0], r[1], r[2], bool(r[3]), int(r[4]), int(r[5]), int(r[6]))
    return out


def entity_events(
    engine: Engine, entity_id: str, filters: Filters | None = None, limit: int = 500
) -> list[EventRow]:
    """The events an entity takes part in (passing the filters), in date order."""
    q = (
        select(
            Event.id,
            Event.title,
            Event.kind,
            Event.earliest,
            Event.latest,
            Event.precision,
            Event.value,
        )
        .where(Event.id.in_(select(Participant.event_id).where(Participant.entity_id == entity_id)))
        .order_by(Event.earliest, Event.id)
        .limit(limit)
    )
    if filters is not None:
        q = q.where(event_clause(filters, review=_review_statuses(engine, filters)))
    with Session(engine) as s:
        rows = [EventRow(*r) for r in s.execute(q).all()]
    ov = review_of(engine)
    if ov.is_empty():
        return rows
    involved = [e for e in ov.events.values() if any(p == entity_id for p, _r in e.participants)]
    involved_ids = {e.id for e in involved}
    rows = [r for r in rows if r.id not in ov.events or r.id in involved_ids]
    return apply_review(engine, rows, filters, involved, limit)


def entity_mentions(
    engine: Engine,
    entity_ids: Iterable[str],
    source_id: str,
    start: int | None = None,
    end: int | None = None,
) -> list[Span]:
    """Mentions of these entities in one source (optionally within [start, end)), in text order."""
    wanted = sorted(set(entity_ids))
    if not wanted:
        return []
    q = (
        select(Mention.entity_id, Mention.start, Mention.end, Mention.passage_id, Entity.type)
        .join(Entity, Entity.id == Mention.entity_id)
        .where(Mention.entity_id.in_(wanted))
        .order_by(Mention.start)
    )
    if start is not None or end is not None:
        # A window of the text: a short range scan of the (source, start) index.
        q = q.where(
            Mention.source_id == source_id,
            Mention.start >= (start or 0),
            Mention.start < (end if end is not None else 1 << 62),
        )
    else:
        # The whole source: go by entity (few rows) rather than scan every mention of a
        # large source; `|| ''` keeps SQLite from choosing the (source, start) index.
        q = q.where((Mention.source_id + "") == source_id)
    with Session(engine) as s:
        rows = s.execute(q).all()
    return [Span(source_id, st, en, eid, pid, et) for eid, st, en, pid, et in rows]


def entity_mention_sources(engine: Engine, entity_id: str) -> list[tuple[str, int]]:
    """(source id, first mention offset) for each source mentioning the entity, in catalogue order."""
    with Session(engine) as s:
        rows = s.execute(
            select(Mention.source_id, func.min(Mention.start))
            .join(Source, Source.id == Mention.source_id)
            .where(Mention.entity_id == entity_id)
            .group_by(Mention.source_id)
            .order_by(func.min(Source.ordinal))
        ).all()
    return [(sid, int(st)) for sid, st in rows]


def mention_at(engine: Engine, source_id: str, offset: int) -> str | None:
    """The entity mentioned at a character offset of a source, if any."""
    with Session(engine) as s:
        row = s.execute(
            select(Mention.entity_id)
            .where(
                Mention.source_id == source_id,
                Mention.start <= offset,
                Mention.start >= offset - 200,  # keeps the index range scan short
                Mention.end > offset,
            )
            .order_by(Mention.start.desc())
            .limit(1)
        ).first()
    return None if row is None else str(row[0])


# --- events -----------------------------------------------------------------


def _event_row_cols() -> tuple[Any, ...]:
    return (
        Event.id,
        Event.title,
        Event.kind,
        Event.earliest,
        Event.latest,
        Event.precision,
        Event.value,
    )


def event_rows(engine: Engine, ids: Sequence[str]) -> dict[str, EventRow]:
    with Session(engine) as s:
        rows = s.execute(select(*_event_row_cols()).where(Event.id.in_(list(ids)))).all()
    return {r[0]: EventRow(*r) for r in rows}


@lru_cache(maxsize=1)
def _detail_statements() -> tuple[Any, Any, Any]:
    """The event-detail queries, built once: constructing a 17-column select costs more
    than running it (SQLAlchemy caches the compiled SQL, not the statement objects)."""
    eid: BindParameter[str] = bindparam("event_id")
    event = (
        select(
            Event.id,
            Event.title,
            Event.kind,
            Event.earliest,
            Event.latest,
            Event.precision,
            Event.value,
            Event.date_text,
            Event.julian,
            Event.date_inferred,
            Event.date_confidence,
            Event.anchor_text,
            Event.origin,
            Event.key_event,
            Event.phase_id,
            Phase.title,
            Event.conflicts,
        )
        .outerjoin(Phase, Phase.id == Event.phase_id)
        .where(Event.id == eid)
    )
    accounts = (
        select(
            Evidence.id,
            Evidence.source_id,
            Source.title,
            Evidence.passage_id,
            Evidence.start,
            Evidence.end,
            Evidence.text,
            Evidence.date_text,
            Evidence.value,
            Evidence.numbers,
        )
        .join(Source, Source.id == Evidence.source_id)
        .where(Evidence.event_id == eid)
        .order_by(Source.ordinal, Evidence.start)
    )
    participants = (
        select(Participant.entity_id, Entity.name, Entity.type, Participant.role, Entity.curated)
        .join(Entity, Entity.id == Participant.entity_id)
        .where(Participant.event_id == eid)
        .order_by(Participant.role == "place", Entity.name)
    )
    return event, accounts, participants


@lru_cache(maxsize=256)
def _bundled_event_detail(engine: Engine, event_id: str) -> EventDetail | None:
    """Everything the event-detail pane shows for one event, as built."""
    event_q, accounts_q, participants_q = _detail_statements()
    params = {"event_id": event_id}
    # A Core connection, not an ORM session: this runs on every selection.
    with engine.connect() as s:
        ev = s.execute(event_q, params).first()
        if ev is None:
            return None
        acc = s.execute(accounts_q, params).all()
        parts = s.execute(participants_q, params).all()
    accounts = tuple(
        Account(
            a[0],
            a[1],
            a[2],
            a[3],
            a[4],
            a[5],
            a[6],
            a[7],
            a[8],
            tuple(
                (str(n.get("text", "")), n.get("value"), str(n.get("what", "")))
                for n in (a[9] or [])
                if isinstance(n, dict)
            ),
        )
        for a in acc
    )
    participants = tuple(ParticipantRow(p[0], p[1], p[2], p[3], bool(p[4])) for p in parts)
    return EventDetail(
        ev[0],
        ev[1],
        ev[2],
        ev[3],
        ev[4],
        ev[5],
        ev[6],
        ev[7],
        ev[8],
        date_inferred=bool(ev[9]),
        date_confidence=float(ev[10]),
        anchor_text=ev[11],
        origin=ev[12],
        key_event=bool(ev[13]),
        phase_id=ev[14],
        phase_title=ev[15],
        conflicts=tuple(ev[16] or ()),
        accounts=accounts,
        participants=participants,
    )


@lru_cache(maxsize=1)
def _links_statements() -> tuple[Any, Any]:
    """The event-links queries, built once (see :func:`_detail_statements`)."""
    eid: BindParameter[str] = bindparam("event_id")
    evidence = (
        select(Evidence.source_id, Evidence.start, Evidence.end, Evidence.passage_id)
        .join(Source, Source.id == Evidence.source_id)
        .where(Evidence.event_id == eid)
        .order_by(Source.ordinal, Evidence.start)
    )
    participants = (
        select(Participant.entity_id, Participant.role, Entity.type)
        .join(Entity, Entity.id == Participant.entity_id)
        .where(Participant.event_id == eid)
    )
    return evidence, participants


@lru_cache(maxsize=512)
def _bundled_event_links(engine: Engine, event_id: str) -> EventLinks:
    """The evidence spans and participant/place ids of an event, as built.

    Cached: every pane asks for the same event at once, and the bundled database
    is read-only (call :func:`clear_caches` after opening a changed file).
    """
    evidence_q, participants_q = _links_statements()
    params = {"event_id": event_id}
    with engine.connect() as s:
        ev = s.execute(evidence_q, params).all()
        parts = s.execute(participants_q, params).all()
    spans = tuple(Span(sid, st, en, event_id, pid) for sid, st, en, pid in ev)
    places = frozenset(e for e, role, _t in parts if role == "place")
    people = frozenset(e for e, role, _t in parts if role != "place")
    types = tuple(sorted({(e, t) for e, _r, t in parts}))
    return EventLinks(event_id, spans, people, places, types)


def clear_caches() -> None:
    """Forget cached query results (after the database file changed)."""
    _bundled_event_links.cache_clear()
    _bundled_event_detail.cache_clear()


# --- the reviewer's changes -----------------------------------------------------
#
# One overlay per open database (engine): the panes of a window share it, and two windows
# on two databases do not see each other's. The overlay is replaced as a whole on every
# workspace change, so cached bundled results stay valid and are patched on the way out.

_reviews: weakref.WeakKeyDictionary[Engine, ReviewOverlay] = weakref.WeakKeyDictionary()


def set_review(engine: Engine, overlay: ReviewOverlay) -> None:
    """Show the database's events with the reviewer's changes (:mod:`db.review`) applied."""
    _reviews[engine] = overlay


def review_of(engine: Engine) -> ReviewOverlay:
    """The overlay :func:`set_review` gave this database (empty: the data as built)."""
    return _reviews.get(engine, EMPTY)


def source_titles(engine: Engine) -> dict[str, str]:
    """Source id → title."""
    return {s.id: s.title for s in sources(engine)}


def _added_spans(engine: Engine, e: EffectiveEvent, source_id: str | None = None) -> list[Span]:
    """The evidence the reviewer linked to (or selected for) an event, as spans; only those in
    ``source_id`` when given."""
    return [
        Span(ev.source_id, ev.start, ev.end, e.id, passage_at(engine, ev.source_id, ev.start))
        for ev in e.evidence
        if ev.annotation_id is not None and source_id in (None, ev.source_id)
    ]


def _effective_detail(
    engine: Engine, e: EffectiveEvent, base: EventDetail | None, status: str
) -> EventDetail:
    """The bundled detail (or, for the reviewer's own event, a new one) with ``e`` applied."""
    ids = [ent for ent, _role in e.participants]
    rows = entity_rows(engine, ids)
    participants = tuple(
        sorted(
            (
                ParticipantRow(
                    ent, r.name if r else ent, r.type if r else "", role, bool(r and r.curated)
                )
                for ent, role in e.participants
                for r in [rows.get(ent)]
            ),
            key=lambda p: (p.role == "place", p.name),
        )
    )
    titles = source_titles(engine) if any(ev.annotation_id for ev in e.evidence) else {}
    added = tuple(
        Account(
            -1,
            ev.source_id,
            titles.get(ev.source_id, ev.source_id),
            passage_at(engine, ev.source_id, ev.start) or -1,
            ev.start,
            ev.end,
            ev.text,
            None,
            None,
            (),
        )
        for ev in e.evidence
        if ev.annotation_id is not None
    )
    phase_title = base.phase_title if base is not None else None
    if base is None or e.phase_id != base.phase_id:
        phase_title = dict(phases(engine)).get(e.phase_id) if e.phase_id else None
    if base is None:
        return EventDetail(
            e.id,
            e.title,
            e.kind,
            e.earliest,
            e.latest,
            e.precision,
            e.value,
            e.value,
            None,
            date_inferred=False,
            date_confidence=1.0,
            anchor_text=None,
            origin=e.origin,
            key_event=False,
            phase_id=e.phase_id,
            phase_title=phase_title,
            conflicts=(),
            accounts=added,
            participants=participants,
            status=status,
            corrected=e.corrected,
        )
    return replace(
        base,
        title=e.title,
        kind=e.kind,
        earliest=e.earliest,
        latest=e.latest,
        precision=e.precision,
        value=e.value,
        phase_id=e.phase_id,
        phase_title=phase_title,
        accounts=base.accounts + added,
        participants=participants,
        status=status,
        corrected=e.corrected,
    )


def event_detail(engine: Engine, event_id: str) -> EventDetail | None:
    """Everything the event-detail pane shows for one event, with the reviewer's changes."""
    base = _bundled_event_detail(engine, event_id)
    ov = review_of(engine)
    if ov.is_empty():
        return base
    status = ov.status(event_id)
    e = ov.events.get(event_id)
    if e is None:
        return base if base is None or status == UNREVIEWED else replace(base, status=status)
    return _effective_detail(engine, e, base, status)


def event_links(engine: Engine, event_id: str) -> EventLinks:
    """The evidence spans and participant/place ids of an event, with the reviewer's changes
    (added or removed participants, linked evidence, the reviewer's own events)."""
    ov = review_of(engine)
    e = ov.events.get(event_id)
    base = _bundled_event_links(engine, event_id)
    if e is None:
        return base
    spans = list(base.evidence if e.origin != "user" else ())
    extra = _added_spans(engine, e)
    if extra:
        order = {s.id: s.ordinal for s in sources(engine)}
        spans += extra
        spans.sort(key=lambda sp: (order.get(sp.source_id, 1 << 30), sp.start))
    rows = entity_rows(engine, [ent for ent, _role in e.participants])
    places = frozenset(ent for ent, role in e.participants if role == "place")
    people = frozenset(ent for ent, role in e.participants if role != "place")
    types = tuple(sorted({(ent, r.type) for ent, _role in e.participants if (r := rows.get(ent))}))
    return EventLinks(event_id, tuple(spans), people, places, types)


def _effective_row(e: EffectiveEvent, status: str) -> EventRow:
    return EventRow(e.id, e.title, e.kind, e.earliest, e.latest, e.precision, e.value, status)


def apply_review(
    engine: Engine,
    rows: Iterable[EventRow],
    filters: Filters | None,
    extra: Iterable[EffectiveEvent] = (),
    limit: int | None = None,
) -> list[EventRow]:
    """Event rows as the reviewer sees them, in date order.

    Hidden rejected events go; changed events take the reviewer's values, and are kept only
    if they still pass ``filters``; ``extra`` (changed or the reviewer's own events that the
    caller found belong in the list) join when they pass too.
    """
    ov = review_of(engine)
    if ov.is_empty():
        return list(rows)
    out: dict[str, EventRow] = {}
    for r in rows:
        if ov.hidden(r.id):
            continue
        e = ov.events.get(r.id)
        if e is not None:
            if ov.matches(e, filters):
                out[r.id] = _effective_row(e, ov.status(r.id))
        else:
            out[r.id] = replace(r, status=ov.status(r.id)) if r.id in ov.statuses else r
    for e in extra:
        if e.id not in out and not ov.hidden(e.id) and ov.matches(e, filters):
            out[e.id] = _effective_row(e, ov.status(e.id))
    result = sorted(out.values(), key=lambda r: (r.earliest, r.id))
    return result if limit is None else result[:limit]


def _review_statuses(engine: Engine, filters: Filters | None) -> dict[str, str] | None:
    """The statuses :func:`db.filters.event_clause` needs, when the filters ask for them."""
    return dict(review_of(engine).statuses) if filters and filters.review_statuses else None


def events_at(
    engine: Engine, source_id: str, offset: int, filters: Filters | None = None
) -> list[EventRow]:
    """Events (passing the filters) with an evidence span covering an offset of a source."""
    q = (
        select(*_event_row_cols())
        .join(Evidence, Evidence.event_id == Event.id)
        .where(
            Evidence.source_id == source_id,
            Evidence.start <= offset,
            Evidence.end > offset,
        )
        .distinct()
        .order_by(Event.earliest, Event.id)
    )
    if filters is not None and not filters.is_empty():
        q = q.where(event_clause(filters, review=_review_statuses(engine, filters)))
    with Session(engine) as s:
        rows = [EventRow(*r) for r in s.execute(q).all()]
    ov = review_of(engine)
    if ov.is_empty():
        return rows
    covering = [
        e
        for e in ov.events.values()
        if any(ev.source_id == source_id and ev.start <= offset < ev.end for ev in e.evidence)
    ]
    return apply_review(engine, rows, filters, covering)


def evidence_in_source(
    engine: Engine, source_id: str, filters: Filters | None = None
) -> list[Span]:
    """Every evidence span in one source (of events passing the filters), in text order."""
    q = (
        select(Evidence.start, Evidence.end, Evidence.event_id, Evidence.passage_id)
        .where(Evidence.source_id == source_id)
        .order_by(Evidence.start)
    )
    if filters is not None and not filters.is_empty():
        q = q.join(Event, Event.id == Evidence.event_id).where(
            event_clause(filters, review=_review_statuses(engine, filters))
        )
    with Session(engine) as s:
        spans = [Span(source_id, st, en, eid, pid) for st, en, eid, pid in s.execute(q).all()]
    ov = review_of(engine)
    if ov.is_empty():
        return spans
    spans = [
        sp
        for sp in spans
        if not ov.hidden(sp.owner)
        and (sp.owner not in ov.events or ov.matches(ov.events[sp.owner], filters))
    ]
    for e in ov.events.values():
        if not ov.hidden(e.id) and ov.matches(e, filters):
            spans += _added_spans(engine, e, source_id)
    spans.sort(key=lambda sp: (sp.start, sp.end, sp.owner))
    return spans


def adjacent_event(
    engine: Engine, event_id: str | None, step: int, filters: Filters | None = None
) -> str | None:
    """The event before (step < 0) or after (step > 0) one in date order, passing the filters.

    With no current event, the first (or last) one. Events as the reviewer sees them: hidden
    rejected ones are skipped, corrected dates and the reviewer's own events take their place.
    """
    ov = review_of(engine)
    clause = event_clause(filters or Filters(), review=_review_statuses(engine, filters))
    key = tuple_(Event.earliest, Event.id)
    skip = sorted(ov.overridden)
    cur: tuple[int, str] | None = None
    with Session(engine) as s:
        if event_id is not None:
            mine = ov.events.get(event_id)
            if mine is not None:
                cur = (mine.earliest, mine.id)
            else:
                row = s.execute(
                    select(Event.earliest, Event.id).where(Event.id == event_id)
                ).first()
                cur = None if row is None else (int(row[0]), str(row[1]))
        q = select(Event.earliest, Event.id).where(clause)
        if skip:
            q = q.where(Event.id.not_in(skip))
        if cur is not None:
            bound = tuple_(*cur)
            q = q.where(key > bound if step > 0 else key < bound)
        if step > 0:
            q = q.order_by(Event.earliest, Event.id)
        else:
            q = q.order_by(Event.earliest.desc(), Event.id.desc())
        found = s.execute(q.limit(1)).first()
    candidates = [] if found is None else [(int(found[0]), str(found[1]))]
    for e in ov.events.values():
        if ov.hidden(e.id) or not ov.matches(e, filters):
            continue
        k = (e.earliest, e.id)
        if cur is None or (k > cur if step > 0 else k < cur):
            candidates.append(k)
    if not candidates:
        return None
    return (min(candidates) if step > 0 else max(candidates))[1]


def showcase_event(engine: Engine) -> str | None:
    """A good event to open on: the first key event with evidence, else any event with evidence."""
    has_evidence = select(Evidence.id).where(Evidence.event_id == Event.id).exists()
    with Session(engine) as s:
        for extra in (Event.key_event.is_(True), true()):
            row = s.execute(
                select(Event.id)
                .where(has_evidence, extra)
                .order_by(Event.earliest, Event.id)
                .limit(1)
            ).first()
            if row is not None:
                return str(row[0])
    return None


def counts(engine: Engine, filters: Filters | None = None) -> Counts:
    """Totals for the status bar; ``events`` passes the filters, ``events_total`` does not.

    Events as the reviewer sees them: hidden rejected ones are not counted, the reviewer's
    own are.
    """
    ov = review_of(engine)
    hidden = ov.hidden_ids
    with Session(engine) as s:
        total = int(s.scalar(select(func.count()).select_from(Event)) or 0)
        if (filters is None or filters.is_empty()) and not ov.events:
            shown = total - len(hidden)
        else:
            q = select(func.count()).select_from(Event)
            if filters is not None and not filters.is_empty():
                q = q.where(event_clause(filters, review=_review_statuses(engine, filters)))
            if ov.overridden:
                q = q.where(Event.id.not_in(sorted(ov.overridden)))
            shown = int(s.scalar(q) or 0)
        ents = int(s.scalar(select(func.count()).select_from(Entity)) or 0)
        srcs = int(s.scalar(select(func.count()).select_from(Source)) or 0)
        pas = int(s.scalar(select(func.count()).select_from(Passage)) or 0)
    shown += sum(1 for e in ov.events.values() if not ov.hidden(e.id) and ov.matches(e, filters))
    total += len(ov.user_ids()) - len(hidden)
    return Counts(shown, total, ents, srcs, pas)


def passage_at(engine: Engine, source_id: str, offset: int) -> int | None:
    """The passage containing a character offset of a source."""
    with Session(engine) as s:
        row = s.execute(
            select(Passage.id)
            .where(Passage.source_id == source_id, Passage.start <= offset)
            .order_by(Passage.start.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        pid = int(row[0])
        end = s.scalar(select(Passage.end).where(Passage.id == pid))
    return pid if end is not None and offset < end else None


def passage_location(engine: Engine, passage_id: int) -> tuple[str, int, int] | None:
    """(source id, start, end) of a passage."""
    with Session(engine) as s:
        row = s.execute(
            select(Passage.source_id, Passage.start, Passage.end).where(Passage.id == passage_id)
        ).first()
    return None if row is None else (str(row[0]), int(row[1]), int(row[2]))

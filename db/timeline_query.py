"""Queries behind the timeline pane: lanes, density aggregates, viewport events.

Pure Python + SQLAlchemy (no Qt). Everything returned is a plain dataclass or
tuple, so the widget never holds ORM objects or sessions.

The timeline keeps each frame's cost bounded by pixels, not by event count:

* :meth:`TimelineQuery.density` runs once per lane mode / focus change and
  returns per-lane cumulative counts (sparse, sorted by day), so the number of
  events in any day range of any lane is two ``bisect`` calls;
* :meth:`TimelineQuery.events_in` answers viewport queries through the
  ``event_rtree`` interval index with a row limit; when the limit is hit the
  widget draws density/cluster marks instead of single events.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    column,
    exists,
    func,
    literal,
    select,
    table,
    true,
)
from sqlalchemy.orm import Session

from db.filters import Filters, event_clause
from db.models import Entity, Event, Evidence, Participant, Phase, Source

LANE_MODES = ("kind", "place", "source", "side")
LANE_MODE_LABELS = {"kind": "Kind", "place": "Place", "source": "Source", "side": "Side"}

#: Lanes beyond this many (by event count) are merged into one "Other" lane.
MAX_LANES = 12

_rtree = table("event_rtree", column("rowkey"), column("earliest"), column("latest"))


@dataclass(frozen=True)
class Lane:
    """One horizontal lane: the raw key events carry, a label, and how many events it holds."""

    key: str | None
    label: str
    count: int
    tooltip: str = ""


@dataclass(frozen=True)
class PhaseBand:
    id: str
    title: str
    parent_id: str | None
    earliest: int
    latest: int
    depth: int  # 0 for top-level phases


class EventMark(NamedTuple):
    """What the timeline needs to draw one event (a tuple: thousands are made per query)."""

    id: str
    title: str
    kind: str
    earliest: int
    latest: int
    precision: str
    key_event: bool
    lane: int  # index into the lane set the query was made for
    focus: bool  # passes the filters / entity selection (others are drawn dimmed)


@dataclass(frozen=True)
class EventInfo:
    """Tooltip content for one event."""

    id: str
    title: str
    kind: str
    earliest: int
    latest: int
    precision: str
    value: str
    date_text: str
    julian: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class LaneDensity:
    """Sparse cumulative counts of one lane: ``cum[i]`` events with midpoint <= ``days[i]``."""

    days: tuple[int, ...]
    cum: tuple[int, ...]

    def count(self, first: int, last: int) -> int:
        """Events whose midpoint day lies in ``[first, last]``."""
        hi = bisect_right(self.days, last)
        if hi == 0:
            return 0
        lo = bisect_left(self.days, first)
        return self.cum[hi - 1] - (self.cum[lo - 1] if lo else 0)

    @property
    def total(self) -> int:
        return self.cum[-1] if self.cum else 0


@dataclass(frozen=True)
class Density:
    """Per-lane density for one lane mode: all events and those in focus."""

    mode: str
    lanes: tuple[Lane, ...]
    index: dict[str | None, int]  # raw lane key -> lane index (unknown keys -> the "Other" lane)
    all: tuple[LaneDensity, ...]
    focus: tuple[LaneDensity, ...] | None  # None when nothing is filtered or selected

    def lane_of(self, key: str | None) -> int:
        found = self.index.get(key)
        if found is not None:
            return found
        return self.index.get(_OTHER, len(self.lanes) - 1)


_OTHER = "\x00other"


@dataclass(frozen=True)
class Focus:
    """What is highlighted: the filters plus the entity selection. Empty: everything."""

    filters: Filters = field(default_factory=Filters)
    entities: frozenset[str] = frozenset()
    #: (event id, review status) pairs, for a review-status filter (db.filters.event_clause)
    review: tuple[tuple[str, str], ...] = ()

    def is_empty(self) -> bool:
        return self.filters.is_empty() and not self.entities


def focus_clause(focus: Focus) -> ColumnElement[bool]:
    """WHERE clause on Event: the event passes the filters and involves a selected entity."""
    clause = event_clause(focus.filters, review=dict(focus.review))
    if focus.entities:
        clause = and_(
            clause,
            exists(
                select(Participant.id).where(
                    Participant.event_id == Event.id,
                    Participant.entity_id.in_(sorted(focus.entities)),
                )
            ),
        )
    return clause


def lane_key(mode: str) -> ColumnElement[Any]:
    """The per-event lane key for a lane mode, as a (correlated) SQL expression on Event."""
    if mode == "kind":
        return Event.kind.expression
    if mode == "place":
        return (
            select(func.min(Participant.entity_id))
            .where(Participant.event_id == Event.id, Participant.role == "place")
            .correlate(Event)
            .scalar_subquery()
        )
    if mode == "source":
        return (
            select(Evidence.source_id)
            .where(Evidence.event_id == Event.id)
            .order_by(Evidence.id)
            .limit(1)
            .correlate(Event)
            .scalar_subquery()
        )
    if mode == "side":
        # The acting party: a polity when one is named, else any agent.
        return (
            select(Participant.entity_id)
            .join(Entity, Entity.id == Participant.entity_id)
            .where(Participant.event_id == Event.id, Participant.role == "agent")
            .order_by((Entity.type != "polity"), Participant.entity_id)
            .limit(1)
            .correlate(Event)
            .scalar_subquery()
        )
    raise ValueError(f"unknown lane mode {mode!r}; expected one of {LANE_MODES}")


_NONE_LABEL = {
    "kind": "(no kind)",
    "place": "No place named",
    "source": "No source",
    "side": "No side named",
}


class TimelineQuery:
    """The timeline's window on one database. Caches what does not change while it is open."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._density: dict[tuple[str, Focus], Density] = {}
        self._span: tuple[int, int] | None = None
        self._span_loaded = False
        self._use_rtree: bool | None = None
        self._info: dict[str, EventInfo | None] = {}

    # --- whole-database facts -------------------------------------------
    def span(self) -> tuple[int, int] | None:
        """(first day, last day) over all events, or None for an empty database."""
        if not self._span_loaded:
            with Session(self._engine) as s:
                lo, hi = s.execute(select(func.min(Event.earliest), func.max(Event.latest))).one()
            self._span = (int(lo), int(hi)) if lo is not None else None
            self._span_loaded = True
        return self._span

    def core_span(self, fraction: float = 0.01) -> tuple[int, int] | None:
        """(first, last) day of the events once the earliest and latest ``fraction`` are set
        aside, so one stray date (a 1868 background sentence) does not shrink a war to a sliver."""
        with Session(self._engine) as s:
            n = s.execute(select(func.count()).select_from(Event)).scalar_one()
            if not n:
                return None
            k = int(n * fraction)
            lo = s.execute(
                select(Event.earliest).order_by(Event.earliest).offset(k).limit(1)
            ).scalar_one()
            hi = s.execute(
                select(Event.earliest).order_by(Event.earliest.desc()).offset(k).limit(1)
            ).scalar_one()
        return int(lo), int(hi)

    def phases(self) -> list[PhaseBand]:
        """All phases with their nesting depth, outer phases first, then by start."""
        with Session(self._engine) as s:
            rows = s.execute(
                select(Phase.id, Phase.title, Phase.parent_id, Phase.earliest, Phase.latest)
            ).all()
        parents = {r.id: r.parent_id for r in rows}

        def depth(pid: str | None) -> int:
            d, seen = 0, set()
            while pid is not None and pid in parents and pid not in seen:
                seen.add(pid)
                pid = parents[pid]
                d += 1
            return d

        bands = [
            PhaseBand(r.id, r.title, r.parent_id, r.earliest, r.latest, depth(r.parent_id))
            for r in rows
        ]
        bands.sort(key=lambda b: (b.depth, b.earliest, b.latest))
        return bands

    def _rtree_ready(self) -> bool:
        """Whether the interval index is filled (a database built without it falls back)."""
        if self._use_rtree is None:
            with Session(self._engine) as s:
                try:
                    n_tree = s.execute(select(func.count()).select_from(_rtree)).scalar_one()
                except Exception:  # no rtree module / table: plain index on Event
                    n_tree = -1
                n_events = s.execute(select(func.count()).select_from(Event)).scalar_one()
            self._use_rtree = n_tree == n_events
        return self._use_rtree

    # --- lanes and aggregates -------------------------------------------
    def density(self, mode: str, focus: Focus = Focus()) -> Density:
        """Lanes for ``mode`` and per-lane cumulative counts of events by midpoint day."""
        cached = self._density.get((mode, focus))
        if cached is not None:
            return cached
        base = self._density.get((mode, Focus()))
        if base is None:
            base = self._compute_density(mode)
            self._density[(mode, Focus())] = base
        if focus.is_empty():
            return base
        focused = self._grouped(mode, focus_clause(focus))
        per_lane: list[list[tuple[int, int]]] = [[] for _ in base.lanes]
        for key, day, n in focused:
            per_lane[base.lane_of(key)].append((day, n))
        result = Density(
            mode, base.lanes, base.index, base.all, tuple(_cumulate(p) for p in per_lane)
        )
        if len(self._density) > 16:  # focus changes often; keep only the base densities
            self._density = {k: v for k, v in self._density.items() if k[1].is_empty()}
        self._density[(mode, focus)] = result
        return result

    def _grouped(
        self, mode: str, where: ColumnElement[bool] | None = None
    ) -> list[tuple[str | None, int, int]]:
        key = lane_key(mode).label("lane")
        # Integer division: ``/`` would make SQLite group by half days and SQLAlchemy turn
        # every row into a Decimal; at 100,000 events that was most of the start-up time.
        mid = ((Event.earliest + Event.latest) // 2).label("mid")
        # Grouping by ``kind || ''`` (same groups) keeps SQLite from walking the kind index
        # and looking every row up in the table; a plain scan and sort is faster (0.20 ->
        # 0.16 s at 100,000 events).
        group = Event.kind.concat("") if mode == "kind" else key
        stmt = select(key, mid, func.count()).group_by(group, mid)
        if where is not None:
            stmt = stmt.where(where)
        # A Core connection, not an ORM session: plain tuples, no ORM row processing.
        with self._engine.connect() as conn:
            return [(k, d, n) for k, d, n in conn.execute(stmt)]

    def _day_counts(self, mode: str) -> dict[str | None, Counter[int]]:
        """Events per midpoint day of each lane key, for all events.

        Made for start-up, where ``_grouped(mode)`` was most of the time at 100,000
        events: SQLite only scans (its GROUP BY sorts every row into a temporary
        B-tree) and Python counts plain tuples taken straight from the DB-API cursor
        (SQLAlchemy's Row objects cost more to make and hash than the query).
        """
        key = lane_key(mode).label("lane")
        mid = ((Event.earliest + Event.latest) // 2).label("mid")
        # Literal binds: the only parameters are the lane subqueries' role names.
        sql = str(
            select(key, mid).compile(
                dialect=self._engine.dialect, compile_kwargs={"literal_binds": True}
            )
        )
        with self._engine.connect() as conn:
            dbapi = conn.connection.driver_connection
            assert dbapi is not None
            rows: list[tuple[str | None, int]] = dbapi.execute(sql).fetchall()
        per_key: dict[str | None, Counter[int]] = {}
        for (lane, day), n in Counter(rows).items():
            days = per_key.get(lane)
            if days is None:
                days = per_key[lane] = Counter()
            days[day] = n
        return per_key

    def _compute_density(self, mode: str) -> Density:
        per_key = self._day_counts(mode)
        totals = {key: days.total() for key, days in per_key.items()}
        ranked = sorted(totals, key=lambda k: (k is None, -totals[k], k or ""))
        if len(ranked) <= MAX_LANES + 1:
            keep = ranked
        else:
            # Events with no key (no place, no side named) keep a lane of their own.
            named = [k for k in ranked if k is not None]
            keep = named[: MAX_LANES - (None in totals)] + ([None] if None in totals else [])
        kept = set(keep)
        rest = [k for k in ranked if k not in kept]
        if mode == "kind":
            # Kinds in their catalogue order: a stable, meaningful order across databases.
            from db.models import EVENT_KINDS

            order = {k: i for i, k in enumerate(EVENT_KINDS)}
            keep.sort(key=lambda k: (k is None, order.get(k or "", 99), k or ""))
        labels = self._labels(mode, [k for k in keep if k is not None])
        lanes = [
            Lane(k, labels.get(k, k) if k is not None else _NONE_LABEL[mode], totals[k])
            for k in keep
        ]
        index: dict[str | None, int] = {k: i for i, k in enumerate(keep)}
        if rest:
            n_rest = sum(totals[k] for k in rest)
            names = [labels.get(k, k) if k else _NONE_LABEL[mode] for k in rest[:8]]
            more = f", … {len(rest) - 8} more" if len(rest) > 8 else ""
            lanes.append(
                Lane(
                    _OTHER, f"Other ({len(rest)})", n_rest, ", ".join(str(n) for n in names) + more
                )
            )
            index[_OTHER] = len(lanes) - 1
            for k in rest:
                index[k] = len(lanes) - 1
        per_lane: list[Counter[int]] = [Counter() for _ in lanes]
        for key, days in per_key.items():
            lane = per_lane[index[key]]
            if lane:
                lane.update(days)  # the "Other" lane
            else:
                per_lane[index[key]] = days
        return Density(mode, tuple(lanes), index, tuple(cumulate_days(c) for c in per_lane), None)

    def _labels(self, mode: str, keys: Sequence[str]) -> dict[str | None, str]:
        if not keys:
            return {}
        with Session(self._engine) as s:
            if mode in ("place", "side"):
                rows = s.execute(select(Entity.id, Entity.name).where(Entity.id.in_(keys))).all()
            elif mode == "source":
                rows = s.execute(select(Source.id, Source.title).where(Source.id.in_(keys))).all()
            else:
                return {k: k.replace("_", " ").capitalize() for k in keys}
        return {k: v for k, v in rows}

    # --- viewport ----------------------------------------------------------
    def _overlap(
        self, first: int, last: int, shorter_than: int | None, at_least: int | None
    ) -> list[ColumnElement[bool]]:
        """Conditions on the interval index (or Event) for events overlapping [first, last],
        optionally only those spanning fewer / at least so many days."""
        lo, hi = (
            (_rtree.c.earliest, _rtree.c.latest)
            if self._rtree_ready()
            else (
                Event.earliest,
                Event.latest,
            )
        )
        conds: list[ColumnElement[bool]] = [lo <= last, hi >= first]
        if shorter_than is not None:
            conds.append(hi - lo < shorter_than)
        if at_least is not None:
            conds.append(hi - lo >= at_least)
        return conds

    def events_in(
        self,
        density: Density,
        first: int,
        last: int,
        limit: int,
        focus: Focus = Focus(),
        shorter_than: int | None = None,
    ) -> list[EventMark] | None:
        """Events overlapping days ``[first, last]``, sorted by start; None if more than ``limit``.

        ``shorter_than`` leaves out events spanning that many days or more (they are counted
        per lane by :meth:`long_counts` instead).
        """
        key = lane_key(density.mode).label("lane")
        in_focus: ColumnElement[Any] = (
            literal(True) if focus.is_empty() else focus_clause(focus)
        ).label("focus")
        cols = (
            Event.id,
            Event.title,
            Event.kind,
            Event.earliest,
            Event.latest,
            Event.precision,
            Event.key_event,
            key,
            in_focus,
        )
        where = self._overlap(first, last, shorter_than, None)
        if self._rtree_ready():
            hits = select(_rtree.c.rowkey).where(*where).limit(limit + 1).subquery()
            stmt = select(*cols).join(hits, hits.c.rowkey == Event.rowkey)
        else:
            stmt = select(*cols).where(*where).limit(limit + 1)
        # A plain connection, not a Session: this runs inside a paint, and the ORM's row
        # processing would double its cost for rows that are only read once.
        with self._engine.connect() as con:
            rows = con.execute(stmt).all()
        if len(rows) > limit:
            return None
        marks = [
            EventMark(
                r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), density.lane_of(r[7]), bool(r[8])
            )
            for r in rows
        ]
        marks.sort(key=lambda m: (m.earliest, m.latest, m.id))
        return marks

    def count_in(self, first: int, last: int, cap: int, shorter_than: int | None = None) -> int:
        """How many events overlap days ``[first, last]``, counting no further than ``cap``."""
        where = self._overlap(first, last, shorter_than, None)
        base = select(literal(1))
        if self._rtree_ready():
            base = base.select_from(_rtree)
        inner = base.where(*where).limit(cap).subquery()
        with self._engine.connect() as con:
            return int(con.execute(select(func.count()).select_from(inner)).scalar_one())

    def long_counts(
        self, density: Density, first: int, last: int, at_least: int, cap: int = 20_000
    ) -> list[int]:
        """Per lane, how many events spanning ``at_least`` days or more overlap [first, last]."""
        key = lane_key(density.mode).label("lane")
        where = self._overlap(first, last, None, at_least)
        if self._rtree_ready():
            hits = select(_rtree.c.rowkey).where(*where).limit(cap).subquery()
            stmt = select(key, func.count()).join(hits, hits.c.rowkey == Event.rowkey)
        else:
            stmt = select(key, func.count()).where(*where)
        stmt = stmt.group_by(key)
        counts = [0] * len(density.lanes)
        with self._engine.connect() as con:
            for lane, n in con.execute(stmt).all():
                counts[density.lane_of(lane)] += int(n)
        return counts

    # --- single events ---------------------------------------------------
    def interval(self, event_id: str) -> tuple[int, int] | None:
        with Session(self._engine) as s:
            row = s.execute(
                select(Event.earliest, Event.latest).where(Event.id == event_id)
            ).first()
        return (int(row[0]), int(row[1])) if row else None

    def info(self, event_id: str) -> EventInfo | None:
        """Title, date as written and the sources that attest it (cached)."""
        if event_id in self._info:
            return self._info[event_id]
        with Session(self._engine) as s:
            row = s.execute(select(Event).where(Event.id == event_id)).scalar_one_or_none()
            result = None
            if row is not None:
                sources = s.execute(
                    select(Source.title)
                    .join(Evidence, Evidence.source_id == Source.id)
                    .where(Evidence.event_id == event_id)
                    .group_by(Source.id)
                    .order_by(Source.ordinal)
                ).scalars()
                result = EventInfo(
                    row.id,
                    row.title,
                    row.kind,
                    row.earliest,
                    row.latest,
                    row.precision,
                    row.value,
                    row.date_text,
                    row.julian,
                    tuple(sources),
                )
        if len(self._info) > 2000:
            self._info.clear()
        self._info[event_id] = result
        return result

    def neighbour(
        self, day: int, event_id: str | None, step: int, focus: Focus = Focus()
    ) -> str | None:
        """The next (``step`` > 0) or previous event in (start day, id) order from a position.

        Only events in focus are visited, so the arrow keys walk the filtered set.
        """
        where = true() if focus.is_empty() else focus_clause(focus)
        anchor = event_id or ""
        cond: ColumnElement[bool]
        if step > 0:
            cond = (Event.earliest > day) | and_(Event.earliest == day, Event.id > anchor)
            order: Iterable[Any] = (Event.earliest, Event.id)
        else:
            if event_id is None:
                cond = Event.earliest < day
            else:
                cond = (Event.earliest < day) | and_(Event.earliest == day, Event.id < anchor)
            order = (Event.earliest.desc(), Event.id.desc())
        with Session(self._engine) as s:
            found = s.execute(
                select(Event.id).where(cond, where).order_by(*order).limit(1)
            ).scalar_one_or_none()
        return found


def _cumulate(pairs: list[tuple[int, int]]) -> LaneDensity:
    pairs.sort()
    days: list[int] = []
    cum: list[int] = []
    total = 0
    for day, n in pairs:
        total += n
        if days and days[-1] == day:
            cum[-1] = total
        else:
            days.append(day)
            cum.append(total)
    return LaneDensity(tuple(days), tuple(cum))


def cumulate_days(counts: Counter[int]) -> LaneDensity:
    """Events per day (a Counter) as a lane's cumulative density (as :func:`_cumulate`)."""
    days = sorted(counts)
    return LaneDensity(tuple(days), tuple(accumulate(map(counts.__getitem__, days))))


def day_label(day: int) -> str:
    """ISO date of a day number (for messages and tests)."""
    return date.fromordinal(day).isoformat()

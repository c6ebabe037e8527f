"""The timeline's view of the database: lanes, densities and a cache of viewport events.

No Qt here; it adapts :mod:`db.timeline_query` to what one frame needs, so a
frame costs two ``bisect`` calls per density bin, or one filtered list of at
most :data:`DETAIL_LIMIT` events, whatever the size of the database.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING

from sqlalchemy import Engine, literal, select

from db import query as db_query
from db.models import Event
from db.review import ReviewOverlay
from db.timeline_query import (
    Density,
    EventInfo,
    EventMark,
    Focus,
    LaneDensity,
    PhaseBand,
    TimelineQuery,
    cumulate_days,
    focus_clause,
    lane_key,
)

if TYPE_CHECKING:
    from db.workspace.effective import EffectiveEvent

#: More events than this in view: draw per-lane density/cluster marks instead.
DETAIL_LIMIT = 500

#: Dense per-day prefix sums are kept when days x lanes stays under this (4 bytes each).
DENSE_CELLS = 8_000_000


@dataclass
class _Cached:
    first: int
    last: int
    marks: list[EventMark]
    starts: list[int]
    shorter_than: int | None = None  # events this long or longer were left out...
    long_counts: list[int] | None = None  # ... and counted per lane here

    def fits(self, view_days: int) -> bool:
        """Whether the split into short and long events still suits a view this wide."""
        if self.shorter_than is None:
            return True
        return 2 * view_days <= self.shorter_than <= 16 * view_days


class TimelineData:
    """Lanes, densities and viewport events for one lane mode and one focus."""

    def __init__(self, engine: Engine, mode: str = "kind") -> None:
        self.query = TimelineQuery(engine)
        self._engine = engine
        self.mode = mode
        self.focus = Focus()
        self.phases: list[PhaseBand] = self.query.phases()
        self._core: tuple[int, int] | None = None
        self.review: ReviewOverlay = db_query.review_of(engine)
        self.density: Density = self._density()
        self._cache: _Cached | None = None
        self._too_many: tuple[int, int] | None = None  # last range found too dense to list
        self.long_counts: list[int] | None = None  # per lane, events left out of marks()
        self._dense_key: tuple[int, bool] | None = None
        self._dense: tuple[int, int, list[array[int]]] | None = None

    def span(self) -> tuple[int, int]:
        """The days worth showing: all events, or the phases, or a default when empty."""
        span = self.query.span()
        if span is not None:
            return span
        if self.phases:
            return min(p.earliest for p in self.phases), max(p.latest for p in self.phases)
        from datetime import date

        return date(1918, 1, 1).toordinal(), date(1920, 12, 31).toordinal()

    def core_span(self) -> tuple[int, int]:
        """The days most events fall in, widened to the phases: the default view."""
        if self._core is not None:
            return self._core
        core = self.query.core_span() or self.span()
        lo, hi = core
        top = [p for p in self.phases if p.depth == 0]
        if top:
            lo = min(lo, min(p.earliest for p in top))
            hi = max(hi, max(p.latest for p in top))
        self._core = (lo, hi)  # the database is read-only: computed once
        return lo, hi

    def set_mode(self, mode: str) -> None:
        if mode == self.mode:
            return
        self.mode = mode
        self._refresh()

    def set_focus(self, focus: Focus) -> None:
        focus = self._with_statuses(focus)
        if focus == self.focus:
            return
        self.focus = focus
        self._refresh()

    def set_review(self, review: ReviewOverlay) -> None:
        """Draw the events as the reviewer sees them (corrected, hidden or dimmed, added)."""
        if review is self.review:
            return
        self.review = review
        self.focus = self._with_statuses(self.focus)
        self._refresh()

    def _with_statuses(self, focus: Focus) -> Focus:
        """``focus`` carrying the review statuses its review-status filter reads (if any)."""
        statuses = self.review.statuses if focus.filters.review_statuses else {}
        return replace(focus, review=tuple(sorted(statuses.items())))

    def reload_review(self) -> None:
        """Pick up the reviewer's latest changes (db.query.set_review)."""
        self.set_review(db_query.review_of(self._engine))

    def _refresh(self) -> None:
        self.density = self._density()
        self._cache = None
        self._too_many = None

    # --- the reviewer's changes ----------------------------------------------
    def _density(self) -> Density:
        """The query's density, with hidden, moved and added events counted where they are now."""
        base = self.query.density(self.mode, self.focus)
        ov = self.review
        touched = sorted(ov.overridden)
        if not touched:
            return base
        in_focus = (literal(True) if self.focus.is_empty() else focus_clause(self.focus)).label(
            "focus"
        )
        stmt = select(
            Event.id,
            lane_key(self.mode).label("lane"),
            (Event.earliest + Event.latest) // 2,
            in_focus,
        ).where(Event.id.in_(touched))
        with self._engine.connect() as con:
            before = con.execute(stmt).all()
        delta_all: dict[int, dict[int, int]] = {}
        delta_focus: dict[int, dict[int, int]] = {}

        def bump(target: dict[int, dict[int, int]], lane: int, day: int, n: int) -> None:
            lane_d = target.setdefault(lane, {})
            lane_d[day] = lane_d.get(day, 0) + n

        for _eid, key, mid, focus in before:
            lane = base.lane_of(key)
            bump(delta_all, lane, int(mid), -1)
            if focus:
                bump(delta_focus, lane, int(mid), -1)
        for e in ov.events.values():
            if ov.hidden(e.id):
                continue
            lane, mid = self._lane_of(base, e), (e.earliest + e.latest) // 2
            bump(delta_all, lane, mid, 1)
            if self._in_focus(e):
                bump(delta_focus, lane, mid, 1)
        return Density(
            base.mode,
            base.lanes,
            base.index,
            _shifted(base.all, delta_all),
            _shifted(base.focus, delta_focus) if base.focus is not None else None,
        )

    def _lane_of(self, density: Density, e: EffectiveEvent) -> int:
        """The lane a changed or the reviewer's own event is drawn in."""
        mode = density.mode
        if mode == "kind":
            return density.lane_of(e.kind)
        if mode == "place":
            return density.lane_of(min(e.places, default=None))
        if mode == "source":
            return density.lane_of(e.evidence[0].source_id if e.evidence else None)
        agents = sorted(ent for ent, role in e.participants if role == "agent")
        return density.lane_of(agents[0] if agents else None)

    def _in_focus(self, e: EffectiveEvent) -> bool:
        f = self.focus
        if f.is_empty():
            return True
        if not self.review.matches(e, f.filters):
            return False
        return not f.entities or any(ent in f.entities for ent, _role in e.participants)

    def _reviewed(
        self, marks: list[EventMark], first: int, last: int, shorter_than: int | None
    ) -> list[EventMark]:
        """Viewport marks with the reviewer's changes: hidden rejected events dropped, rejected
        ones dimmed, corrected ones moved and retitled, the reviewer's own added."""
        ov = self.review
        if ov.is_empty():
            return marks
        out: list[EventMark] = []
        for m in marks:
            if ov.hidden(m.id) or m.id in ov.events:
                continue
            out.append(m._replace(focus=False) if ov.dimmed(m.id) else m)
        for e in ov.events.values():
            if ov.hidden(e.id) or e.latest < first or e.earliest > last:
                continue
            if shorter_than is not None and e.latest - e.earliest >= shorter_than:
                continue
            out.append(
                EventMark(
                    e.id,
                    e.title,
                    e.kind,
                    e.earliest,
                    e.latest,
                    e.precision,
                    False,
                    self._lane_of(self.density, e),
                    self._in_focus(e) and not ov.dimmed(e.id),
                )
            )
        out.sort(key=lambda m: (m.earliest, m.latest, m.id))
        return out

    def interval(self, event_id: str) -> tuple[int, int] | None:
        """Where an event is drawn (the reviewer's date when corrected)."""
        e = self.review.events.get(event_id)
        return (e.earliest, e.latest) if e is not None else self.query.interval(event_id)

    def info(self, event_id: str) -> EventInfo | None:
        """Tooltip content, with the reviewer's title and date."""
        info = self.query.info(event_id)
        e = self.review.events.get(event_id)
        if e is None:
            return info
        status = self.review.status(event_id)
        title = e.title + (f" ({status})" if status != "unreviewed" else "")
        if info is None:
            titles = db_query.source_titles(self._engine)
            srcs = tuple(dict.fromkeys(titles.get(ev.source_id, ev.source_id) for ev in e.evidence))
            return EventInfo(
                e.id, title, e.kind, e.earliest, e.latest, e.precision, e.value, e.value, None, srcs
            )
        return EventInfo(
            e.id,
            title,
            e.kind,
            e.earliest,
            e.latest,
            e.precision,
            e.value,
            e.value if "date" in e.corrected else info.date_text,
            info.julian,
            info.sources,
        )

    def neighbour(self, day: int, event_id: str | None, step: int) -> str | None:
        """The next or previous event in focus, skipping hidden ones and counting the
        reviewer's own."""
        ov = self.review
        if ov.is_empty():
            return self.query.neighbour(day, event_id, step, self.focus)
        anchor = (day, event_id or "")
        found = self.query.neighbour(day, event_id, step, self.focus)
        while found is not None and (ov.hidden(found) or found in ov.events):
            at = self.query.interval(found)
            if at is None:
                break
            found = self.query.neighbour(at[0], found, step, self.focus)
        candidates: list[tuple[int, str]] = []
        if found is not None and (at := self.query.interval(found)) is not None:
            candidates.append((at[0], found))
        for e in ov.events.values():
            if ov.hidden(e.id) or not self._in_focus(e) or e.id == event_id:
                continue
            k = (e.earliest, e.id)
            if (k > anchor) if step > 0 else (k < anchor):
                candidates.append(k)
        if not candidates:
            return None
        return (min(candidates) if step > 0 else max(candidates))[1]

    @property
    def lanes(self) -> int:
        return len(self.density.lanes)

    def estimate(self, first: int, last: int) -> int:
        """Events whose midpoint is in view (cheap; decides whether a query is worth it)."""
        return sum(d.count(first, last) for d in self.density.all)

    def marks(self, start: float, end: float) -> list[EventMark] | None:
        """Events overlapping the visible days, or None when there are too many to draw singly.

        When only events much longer than the view make it too many (a year-long "in 1919"
        extent carries no position inside a week), those are left out of the list and counted
        per lane in :attr:`long_counts` instead.
        """
        first, last = math.floor(start), math.ceil(end)
        self.long_counts = None
        if self.estimate(first, last) > DETAIL_LIMIT:
            return None
        c = self._cache
        if c is None or first < c.first or last > c.last or not c.fits(last - first + 1):
            tm = self._too_many
            if tm is not None and first <= tm[0] and tm[1] <= last:
                return None  # contains a range already known to be too dense
            c = self._fetch(first, last)
            if c is None:
                self._too_many = (first, last)
                return None
            self._cache = c
        self.long_counts = c.long_counts
        end_i = bisect_right(c.starts, last)
        visible = [m for m in c.marks[:end_i] if m.latest >= first]
        return visible if len(visible) <= DETAIL_LIMIT else None

    def _fetch(self, first: int, last: int) -> _Cached | None:
        q = self.query
        # A bounded count first: long (month/year) events overlap many days, and the midpoint
        # estimate does not see them.
        shorter_than: int | None = None
        if q.count_in(first, last, DETAIL_LIMIT + 1) > DETAIL_LIMIT:
            # Leave out what spans more than a few views; a power of two keeps the same split
            # (and the cache) while zooming a little.
            shorter_than = 1 << max(5, math.ceil(math.log2(4 * (last - first + 1))))
            if q.count_in(first, last, DETAIL_LIMIT + 1, shorter_than) > DETAIL_LIMIT:
                return None
        # Half a screen more on each side so panning is served from memory, unless that would
        # be more than the limit anyway (then just what is visible).
        margin = (last - first + 1) // 2
        marks = None
        if self.estimate(first - margin, last + margin) <= 2 * DETAIL_LIMIT:
            marks = q.events_in(
                self.density,
                first - margin,
                last + margin,
                2 * DETAIL_LIMIT,
                self.focus,
                shorter_than,
            )
        if marks is None:
            margin = 0
            marks = q.events_in(self.density, first, last, DETAIL_LIMIT, self.focus, shorter_than)
            if marks is None:
                return None
        marks = self._reviewed(marks, first - margin, last + margin, shorter_than)
        long_counts = None
        if shorter_than is not None:
            long_counts = q.long_counts(self.density, first - margin, last + margin, shorter_than)
        return _Cached(
            first - margin,
            last + margin,
            marks,
            [m.earliest for m in marks],
            shorter_than,
            long_counts,
        )

    def bin_counts(self, edges: list[int], focus: bool = False) -> list[list[int]]:
        """Counts per lane per bin; bin i holds midpoints in ``[edges[i], edges[i+1])``."""
        dense = self._dense_for(focus)
        if dense is None:
            return [self.bins(lane, edges, focus) for lane in range(self.lanes)]
        lo, n, prefix = dense
        idx = [0 if e <= lo else (n if e - lo >= n else e - lo) for e in edges]
        pairs = list(pairwise(idx))
        return [[q[b] - q[a] for a, b in pairs] for q in prefix]

    def _dense_for(self, focus: bool) -> tuple[int, int, list[array[int]]] | None:
        key = (id(self.density), focus)
        if self._dense_key != key:
            self._dense_key = key
            self._dense = _dense_prefix(
                (self.density.focus if focus else self.density.all) or self.density.all
            )
        return self._dense

    def bins(self, lane: int, edges: list[int], focus: bool = False) -> list[int]:
        """Counts per bin for one lane; bin i holds midpoints in ``[edges[i], edges[i+1])``."""
        dens = (self.density.focus if focus else self.density.all) or self.density.all
        d = dens[lane]
        days, cum = d.days, d.cum
        out: list[int] = []
        if not days:
            return [0] * (len(edges) - 1)
        prev = bisect_right(days, edges[0] - 1)
        prev_c = cum[prev - 1] if prev else 0
        for e in edges[1:]:
            i = bisect_right(days, e - 1)
            c = cum[i - 1] if i else 0
            out.append(c - prev_c)
            prev_c = c
        return out


def _shifted(
    lanes: tuple[LaneDensity, ...], delta: dict[int, dict[int, int]]
) -> tuple[LaneDensity, ...]:
    """Lane densities with per-day changes (events removed or added) applied."""
    if not delta:
        return lanes
    out: list[LaneDensity] = []
    for i, lane in enumerate(lanes):
        change = delta.get(i)
        if not change:
            out.append(lane)
            continue
        counts: Counter[int] = Counter()
        prev = 0
        for day, c in zip(lane.days, lane.cum, strict=True):
            counts[day] = c - prev
            prev = c
        counts.update(change)
        out.append(cumulate_days(+counts))  # + drops the days left with no event
    return tuple(out)


def _dense_prefix(lanes: tuple[LaneDensity, ...]) -> tuple[int, int, list[array[int]]] | None:
    """(first day, days, per-lane prefix sums): ``q[i]`` = events before day ``first + i``.

    Turns each bin count into two list lookups; None when the span is too long to keep densely.
    """
    days = [d for lane in lanes for d in (lane.days[:1] + lane.days[-1:])]
    if not days:
        return None
    lo, hi = min(days), max(days)
    n = hi - lo + 2
    if n * len(lanes) > DENSE_CELLS:
        return None
    prefix: list[array[int]] = []
    for lane in lanes:
        counts = [0] * n
        prev = 0
        for day, c in zip(lane.days, lane.cum, strict=True):
            counts[day - lo + 1] += c - prev
            prev = c
        prefix.append(array("i", accumulate(counts)))
    return lo, n - 1, prefix  # q[n - 1] counts every event

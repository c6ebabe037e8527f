"""The timeline's view of the database: lanes, densities and a cache of viewport events.

No Qt here; it adapts :mod:`db.timeline_query` to what one frame needs, so a
frame costs two ``bisect`` calls per density bin, or one filtered list of at
most :data:`DETAIL_LIMIT` events, whatever the size of the database.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, pairwise

from sqlalchemy import Engine

from db.timeline_query import Density, EventMark, Focus, LaneDensity, PhaseBand, TimelineQuery

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


class TimelineData:
    """Lanes, densities and viewport events for one lane mode and one focus."""

    def __init__(self, engine: Engine, mode: str = "kind") -> None:
        self.query = TimelineQuery(engine)
        self.mode = mode
        self.focus = Focus()
        self.phases: list[PhaseBand] = self.query.phases()
        self.density: Density = self.query.density(mode)
        self._cache: _Cached | None = None
        self._too_many: tuple[int, int] | None = None  # last range found too dense to list
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
        core = self.query.core_span() or self.span()
        lo, hi = core
        top = [p for p in self.phases if p.depth == 0]
        if top:
            lo = min(lo, min(p.earliest for p in top))
            hi = max(hi, max(p.latest for p in top))
        return lo, hi

    def set_mode(self, mode: str) -> None:
        if mode == self.mode:
            return
        self.mode = mode
        self.density = self.query.density(mode, self.focus)
        self._cache = None
        self._too_many = None

    def set_focus(self, focus: Focus) -> None:
        if focus == self.focus:
            return
        self.focus = focus
        self.density = self.query.density(self.mode, focus)
        self._cache = None
        self._too_many = None

    @property
    def lanes(self) -> int:
        return len(self.density.lanes)

    def estimate(self, first: int, last: int) -> int:
        """Events whose midpoint is in view (cheap; decides whether a query is worth it)."""
        return sum(d.count(first, last) for d in self.density.all)

    def marks(self, start: float, end: float) -> list[EventMark] | None:
        """Events overlapping the visible days, or None when there are too many to draw singly."""
        first, last = math.floor(start), math.ceil(end)
        if self.estimate(first, last) > DETAIL_LIMIT:
            return None
        c = self._cache
        if c is None or first < c.first or last > c.last:
            tm = self._too_many
            if tm is not None and first <= tm[0] and tm[1] <= last:
                return None  # contains a range already known to be too dense
            # A bounded count first: long (month/year) events overlap many days, and the
            # midpoint estimate above does not see them.
            if self.query.count_in(first, last, DETAIL_LIMIT + 1) > DETAIL_LIMIT:
                self._too_many = (first, last)
                return None
            # Fetch half a screen more on each side so panning is served from memory, unless
            # that would be more than the limit anyway (then fetch just what is visible).
            margin = (last - first + 1) // 2
            marks = None
            if self.estimate(first - margin, last + margin) <= 2 * DETAIL_LIMIT:
                marks = self.query.events_in(
                    self.density, first - margin, last + margin, 2 * DETAIL_LIMIT, self.focus
                )
            if marks is not None:
                c = _Cached(first - margin, last + margin, marks, [m.earliest for m in marks])
            else:
                marks = self.query.events_in(self.density, first, last, DETAIL_LIMIT, self.focus)
                if marks is None:
                    self._too_many = (first, last)
                    return None
                c = _Cached(first, last, marks, [m.earliest for m in marks])
            self._cache = c
        end_i = bisect_right(c.starts, last)
        visible = [m for m in c.marks[:end_i] if m.latest >= first]
        return visible if len(visible) <= DETAIL_LIMIT else None

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

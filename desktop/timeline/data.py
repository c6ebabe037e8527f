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
        self.mode = mode
        self.focus = Focus()
        self.phases: list[PhaseBand] = self.query.phases()
        self._core: tuple[int, int] | None = None
        self.density: Density = self.query.density(mode)
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

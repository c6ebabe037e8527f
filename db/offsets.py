"""Offsets between a source's normalized text and the text as the file has it.

Its own module (not part of db.ingest) so that the query layer, which the GUI
loads at start-up, can map offsets without loading the ingest pipeline.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class OffsetMap:
    """Maps offsets between a source's normalized and original texts via its repair rows.

    Outside a repair both texts advance together; an offset inside a repaired
    span maps to the corresponding edge of the other side's span.
    """

    repairs: list[tuple[int, int, int, int]] = field(default_factory=list)  # norm s,e, orig s,e

    def __post_init__(self) -> None:
        self.repairs.sort()
        self._norm_starts = [r[0] for r in self.repairs]
        by_orig = sorted(self.repairs, key=lambda r: (r[2], r[3]))
        self._by_orig = by_orig
        self._orig_starts = [r[2] for r in by_orig]

    def between(self, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """Repairs whose normalized span starts in [start, end), in text order."""
        lo = bisect.bisect_left(self._norm_starts, start)
        hi = bisect.bisect_left(self._norm_starts, end)
        return self.repairs[lo:hi]

    def at(self, offset: int) -> tuple[int, int, int, int] | None:
        """The repair whose normalized span covers an offset (or starts there, if empty)."""
        i = bisect.bisect_right(self._norm_starts, offset) - 1
        if i >= 0:
            ns, ne, _os, _oe = self.repairs[i]
            if ns <= offset < max(ne, ns + 1):
                return self.repairs[i]
        return None

    def to_original(self, offset: int, *, end: bool = False) -> int:
        i = bisect.bisect_right(self._norm_starts, offset) - 1
        if end:
            # An end offset equal to a repair's start belongs before that repair.
            while i >= 0 and self.repairs[i][0] == offset:
                i -= 1
        if i < 0:
            return offset
        _ns, ne, os_, oe = self.repairs[i]
        if offset >= ne:
            return offset - ne + oe
        return oe if end else os_

    def to_normalized(self, offset: int, *, end: bool = False) -> int:
        i = bisect.bisect_right(self._orig_starts, offset) - 1
        if end:
            while i >= 0 and self._by_orig[i][2] == offset:
                i -= 1
        if i < 0:
            return offset
        ns, ne, _os, oe = self._by_orig[i]
        if offset >= oe:
            return offset - oe + ne
        return ne if end else ns

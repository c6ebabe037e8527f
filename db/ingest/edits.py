"""Edits on a text, applied once, with a two-way offset map between before and after.

Normalization never rewrites text in place: every pass proposes :class:`Edit`s
on the *original* text, and :func:`apply_edits` applies the non-overlapping
ones together. The resulting :class:`Repair` list is the offset map, so the
original can always be shown and any span mapped back.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Edit:
    start: int  # in the original text
    end: int
    replacement: str
    kind: str


@dataclass(frozen=True)
class AppliedRepair:
    kind: str
    orig_start: int
    orig_end: int
    norm_start: int
    norm_end: int
    original: str
    replacement: str


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

    @classmethod
    def from_repairs(cls, repairs: Sequence[AppliedRepair]) -> OffsetMap:
        return cls([(r.norm_start, r.norm_end, r.orig_start, r.orig_end) for r in repairs])


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[AppliedRepair]]:
    """Apply edits in order of position; an edit overlapping an earlier-accepted one is dropped.

    Edits are accepted by priority first (the order of the given list), then
    applied by position.
    """
    accepted: list[Edit] = []
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping
    for e in edits:
        if e.start > e.end or e.end > len(text):
            continue
        i = bisect.bisect_left(taken, (e.start, e.start))
        overlaps = False
        for j in (i - 1, i):
            if 0 <= j < len(taken):
                s, t = taken[j]
                # Zero-width insertions conflict only with a span strictly around them.
                if (
                    (e.start < t and s < e.end)
                    or (e.start == e.end and s < e.start < t)
                    or (s == t == e.start == e.end)
                ):
                    overlaps = True
        if overlaps:
            continue
        taken.insert(i, (e.start, e.end))
        accepted.append(e)
    accepted.sort(key=lambda e: (e.start, e.end))
    out: list[str] = []
    repairs: list[AppliedRepair] = []
    pos = 0
    norm_len = 0
    for e in accepted:
        chunk = text[pos : e.start]
        out.append(chunk)
        norm_len += len(chunk)
        out.append(e.replacement)
        repairs.append(
            AppliedRepair(
                e.kind,
                e.start,
                e.end,
                norm_len,
                norm_len + len(e.replacement),
                text[e.start : e.end],
                e.replacement,
            )
        )
        norm_len += len(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), repairs

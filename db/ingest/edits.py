"""Edits on a text, applied once, with a two-way offset map between before and after.

Normalization never rewrites text in place: every pass proposes :class:`Edit`s
on the *original* text, and :func:`apply_edits` applies the non-overlapping
ones together. The resulting :class:`Repair` list is the offset map, so the
original can always be shown and any span mapped back.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


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


class OffsetMap:
    """Maps offsets between original and normalized text through the applied repairs."""

    def __init__(self, repairs: list[AppliedRepair]) -> None:
        self._repairs = sorted(repairs, key=lambda r: r.orig_start)
        self._orig_starts = [r.orig_start for r in self._repairs]
        self._norm_starts = [r.norm_start for r in self._repairs]

    def to_normalized(self, pos: int) -> int:
        """Normalized offset of an original offset (inside a repair: its normalized start/end)."""
        i = bisect.bisect_right(self._orig_starts, pos) - 1
        if i < 0:
            return pos
        r = self._repairs[i]
        if pos >= r.orig_end:
            return r.norm_end + (pos - r.orig_end)
        if pos == r.orig_start:
            return r.norm_start
        return r.norm_end

    def to_original(self, pos: int) -> int:
        """Original offset of a normalized offset (inside a repair: the repair's original end)."""
        i = bisect.bisect_right(self._norm_starts, pos) - 1
        # Several zero-width normalized repairs can share a start; take the last.
        if i < 0:
            return pos
        r = self._repairs[i]
        if pos >= r.norm_end:
            return r.orig_end + (pos - r.norm_end)
        if pos == r.norm_start:
            return r.orig_start
        return r.orig_end


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

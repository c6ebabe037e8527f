"""Edits on a text, applied once, with a two-way offset map between before and after.

Normalization never rewrites text in place: every pass proposes :class:`Edit`s
on the *original* text, and :func:`apply_edits` applies the non-overlapping
ones together. The resulting :class:`Repair` list is the offset map, so the
original can always be shown and any span mapped back.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from db.offsets import OffsetMap


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


def offset_map(repairs: Sequence[AppliedRepair]) -> OffsetMap:
    """The offset map of the repairs an :func:`apply_edits` made."""
    return OffsetMap([(r.norm_start, r.norm_end, r.orig_start, r.orig_end) for r in repairs])


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

"""Placing event marks in a lane's rows and their labels where they fit (no Qt).

Marks are data and are always drawn; a label is drawn only in free space: inside its own
bar when the bar is wide enough, else to the right of the mark up to the next mark of the
row. Nothing is ever drawn over a label.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from db.timeline_query import PhaseBand

MARK_GAP = 3.0  # px between marks sharing a row
LABEL_PAD = 4.0
MIN_LABEL = 64.0  # shorter than this (unless the whole title fits) is not worth drawing


@dataclass
class Placed:
    x0: float
    x1: float
    row: int
    label_x: float | None = None  # None: no label (shown on hover instead)
    label_w: float = 0.0
    inside: bool = False  # label drawn inside the mark's bar


def layout_lane(
    items: list[tuple[float, float, float, bool]],
    rows: int,
    left: float,
    right: float,
    force: int | None = None,
    labels: bool = True,
) -> list[Placed]:
    """Rows and labels for one lane.

    ``items`` are ``(x0, x1, label width, is_point)`` sorted by ``x0``; ``force`` is the index
    of an item whose label must be shown (the selected event).
    """
    placed: list[Placed] = []
    row_right = [-1e18] * max(1, rows)
    for x0, x1, _tw, _pt in items:
        row = next((r for r, rr in enumerate(row_right) if rr + MARK_GAP <= x0), -1)
        if row < 0:
            row = min(range(len(row_right)), key=row_right.__getitem__)
        row_right[row] = max(row_right[row], x1)
        placed.append(Placed(x0, x1, row))
    if not labels:
        return placed

    by_row: dict[int, list[int]] = {}
    for i, p in enumerate(placed):
        by_row.setdefault(p.row, []).append(i)
    for members in by_row.values():
        cover = -1e18  # right end of the marks before the current one in this row
        for j, i in enumerate(members):
            p = placed[i]
            x0, x1, tw, point = items[i]
            next_x0 = placed[members[j + 1]].x0 if j + 1 < len(members) else right + 1e6
            want = tw
            if not point:
                tx = max(x0, left) + LABEL_PAD
                avail = min(x1, next_x0, right) - LABEL_PAD - tx
                if cover <= tx and avail >= min(want, MIN_LABEL):
                    p.label_x, p.label_w, p.inside = tx, min(want, avail), True
            if p.label_x is None:
                lx = x1 + LABEL_PAD
                avail = next_x0 - 2 * LABEL_PAD - lx
                if cover <= x1 and avail >= min(want, MIN_LABEL):
                    p.label_x, p.label_w = lx, min(want, avail)
                elif i == force:
                    p.label_x, p.label_w = lx, want
            cover = max(cover, x1)
    return placed


MAX_PHASE_ROWS = 4


@dataclass(frozen=True)
class PhaseLayout:
    """Where each phase sits in the strip under the axis, and the bands behind the lanes."""

    rows: int
    placed: tuple[tuple[PhaseBand, int, int | None], ...]  # (phase, strip row, hue or None)
    # Elementary day ranges [first, last] and the hues of the innermost phases covering them.
    segments: tuple[tuple[int, int, tuple[int, ...]], ...]


def layout_phases(phases: list[PhaseBand], n_hues: int = 6) -> PhaseLayout:
    """Pack phases into strip rows (by start; a parent before its children) and cut the bands into segments.

    Innermost phases (those with no sub-phases) get a hue each and are the bands drawn
    behind the lanes; where two overlap, the segment carries both hues.
    """
    if not phases:
        return PhaseLayout(0, (), ())
    parents = {ph.parent_id for ph in phases if ph.parent_id is not None}
    leaves = sorted(
        (ph for ph in phases if ph.id not in parents), key=lambda ph: (ph.earliest, ph.latest)
    )
    hue = {ph.id: i % n_hues for i, ph in enumerate(leaves)}
    row_end: list[int] = []
    placed: list[tuple[PhaseBand, int, int | None]] = []
    for ph in sorted(phases, key=lambda ph: (ph.earliest, ph.depth, -ph.latest)):
        row = next((r for r, end in enumerate(row_end) if end < ph.earliest), -1)
        if row < 0:
            if len(row_end) < MAX_PHASE_ROWS:
                row_end.append(ph.latest)
                row = len(row_end) - 1
            else:
                row = min(range(len(row_end)), key=row_end.__getitem__)
        row_end[row] = max(row_end[row], ph.latest)
        placed.append((ph, row, hue.get(ph.id)))
    cuts = sorted({ph.earliest for ph in leaves} | {ph.latest + 1 for ph in leaves})
    segments = []
    for a, b in itertools.pairwise(cuts):
        cover = tuple(hue[ph.id] for ph in leaves if ph.earliest <= a and ph.latest >= b - 1)
        if cover:
            segments.append((a, b - 1, cover))
    return PhaseLayout(len(row_end), tuple(placed), tuple(segments))

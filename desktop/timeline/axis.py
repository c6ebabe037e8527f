"""The adaptive date axis: which ticks and labels to draw for a visible day range.

Pure Python (text widths come from a ``measure`` callable), so the choice of
unit and the no-collision rule are testable without painting. The axis goes
from centuries down to single days; the finest level whose labels fit is used,
and a coarser "context" row names the enclosing year or month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.timeline.calendar import (
    MONTHS,
    MONTHS_SHORT,
    NEW_STYLE_START,
    from_ymd,
    to_ymd,
    uses_julian,
)

#: (unit, step, smallest gap in days between two ticks), coarse to fine.
LEVELS: tuple[tuple[str, int, int], ...] = (
    ("year", 100, 36524),
    ("year", 50, 18262),
    ("year", 20, 7304),
    ("year", 10, 3652),
    ("year", 5, 1826),
    ("year", 2, 730),
    ("year", 1, 365),
    ("month", 6, 181),
    ("month", 3, 89),
    ("month", 1, 28),
    ("day", 10, 8),
    ("day", 5, 3),
    ("day", 2, 1),
    ("day", 1, 1),
)

LABEL_GAP = 10.0  # px of air between two labels


@dataclass(frozen=True)
class Tick:
    day: int  # the first day of the unit the tick starts
    label: str
    major: bool = False  # starts a larger unit (a year among months, a month among days)


@dataclass(frozen=True)
class Axis:
    unit: str  # "year" | "month" | "day"
    step: int
    ticks: tuple[Tick, ...]  # fine row; labels already thinned so none collide
    context: tuple[Tick, ...]  # enclosing years (for months) or months (for days)


def _fine_label(unit: str, step: int, y: int, m: int, d: int, long_months: bool) -> str:
    if unit == "year":
        return str(y)
    if unit == "month":
        return MONTHS[m - 1] if long_months else MONTHS_SHORT[m - 1]
    return str(d)


def _unit_ticks(
    unit: str, step: int, first: int, last: int, julian: bool
) -> list[tuple[int, int, int, int]]:
    """(day, y, m, d) of every tick of the level in one calendar between first and last."""
    out: list[tuple[int, int, int, int]] = []
    y, m, _d = to_ymd(first, julian)
    if unit == "year":
        yy = (y // step) * step
        while True:
            day = from_ymd(max(1, yy), 1, 1, julian)
            if day > last:
                break
            if day >= first:
                out.append((day, yy, 1, 1))
            yy += step
    elif unit == "month":
        mm = ((m - 1) // step) * step + 1
        yy = y
        while True:
            day = from_ymd(yy, mm, 1, julian)
            if day > last:
                break
            if day >= first:
                out.append((day, yy, mm, 1))
            mm += step
            if mm > 12:
                mm -= 12
                yy += 1
    else:
        yy, mm = y, m
        while True:
            dd = 1
            month_start = from_ymd(yy, mm, 1, julian)
            if month_start > last:
                break
            nm, ny = (mm + 1, yy) if mm < 12 else (1, yy + 1)
            month_len = from_ymd(ny, nm, 1, julian) - month_start
            while dd <= month_len:
                day = month_start + dd - 1
                if day > last:
                    break
                # Skip a tick too close to the next month's first day (e.g. the 31st for step 5).
                if day >= first and (step == 1 or dd == 1 or month_len - dd + 1 >= step // 2 + 1):
                    out.append((day, yy, mm, dd))
                dd += step
            yy, mm = ny, nm
    return out


def _ranges(first: int, last: int, julian: bool) -> list[tuple[int, int, bool]]:
    """The parts of [first, last] in each calendar."""
    if not julian or last < NEW_STYLE_START:
        return [(first, last, julian)]
    if first >= NEW_STYLE_START:
        return [(first, last, False)]
    return [(first, NEW_STYLE_START - 1, True), (NEW_STYLE_START, last, False)]


def _level_fits(
    unit: str, step: int, min_gap: int, px_per_day: float, measure: Callable[[str], float]
) -> tuple[bool, bool]:
    """(fits, with long month names)."""
    gap = min_gap * px_per_day
    if unit == "year":
        return gap >= measure("8888") + LABEL_GAP, False
    if unit == "month":
        if gap >= measure("September") + LABEL_GAP:
            return True, True
        return gap >= measure("Sep") + LABEL_GAP, False
    return gap >= measure("28") + LABEL_GAP, False


def compute_axis(
    start: float,
    end: float,
    width: float,
    measure: Callable[[str], float],
    julian: bool = False,
) -> Axis:
    """Ticks for days ``[start, end)`` drawn across ``width`` pixels."""
    px_per_day = width / max(end - start, 1e-9)
    chosen = LEVELS[0]
    long_months = False
    for level in LEVELS:
        fits, long_names = _level_fits(*level, px_per_day, measure)
        if fits:
            chosen, long_months = level, long_names
        else:
            break
    unit, step, _gap = chosen
    first, last = int(start) - 1, int(end) + 1

    raw: list[Tick] = []
    for a, b, jul in _ranges(first, last, julian):
        for day, y, m, d in _unit_ticks(unit, step, a, b, jul):
            major = (unit == "month" and m == 1) or (unit == "day" and d == 1)
            raw.append(Tick(day, _fine_label(unit, step, y, m, d, long_months), major))
    if julian and first < NEW_STYLE_START <= last and unit != "year":
        # The switch to the new style is itself a tick: 1 February O.S. is 14 February N.S.
        raw = [t for t in raw if t.day != NEW_STYLE_START]
        label = "14" if unit == "day" else "14 Feb"
        raw.append(Tick(NEW_STYLE_START, label, True))
        raw.sort(key=lambda t: t.day)
    ticks = _thin(raw, start, px_per_day, measure)

    context: list[Tick] = []
    if unit in ("month", "day"):
        ctx_unit = "year" if unit == "month" else "month"
        for a, b, jul in _ranges(first, last, julian):
            cands = _unit_ticks(ctx_unit, 1, a, b, jul)
            y, m, _d = to_ymd(a, jul)
            if not cands or cands[0][0] != a:
                cands.insert(0, (a, y, m, 1))  # the unit the range starts in
            for day, y, m, _d in cands:
                os_mark = " (O.S.)" if uses_julian(day, julian) else ""
                text = f"{y}{os_mark}" if ctx_unit == "year" else f"{MONTHS[m - 1]} {y}{os_mark}"
                context.append(Tick(day, text, True))
        context.sort(key=lambda t: t.day)
    return Axis(unit, step, tuple(ticks), tuple(context))


def _thin(
    ticks: list[Tick], start: float, px_per_day: float, measure: Callable[[str], float]
) -> list[Tick]:
    """Blank out labels that would overlap a neighbour; a major tick (a month's 1st) wins."""
    out: list[Tick] = []
    spans: list[tuple[float, float] | None] = []  # label extent of each tick in out

    def last_label() -> int:
        return next((i for i in range(len(out) - 1, -1, -1) if spans[i] is not None), -1)

    for t in ticks:
        x = (t.day - start) * px_per_day
        w = measure(t.label)
        span = (x - w / 2, x + w / 2)
        prev = last_label()
        if prev >= 0 and span[0] < spans[prev][1] + LABEL_GAP:  # type: ignore[index]
            if t.major and not out[prev].major:
                out[prev] = Tick(out[prev].day, "", out[prev].major)
                spans[prev] = None
                before = last_label()
                if before >= 0 and span[0] < spans[before][1] + LABEL_GAP:  # type: ignore[index]
                    out.append(Tick(t.day, "", t.major))
                    spans.append(None)
                    continue
            else:
                out.append(Tick(t.day, "", t.major))
                spans.append(None)
                continue
        out.append(t)
        spans.append(span)
    return out

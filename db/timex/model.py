"""The tagger's output record and the interval arithmetic behind its values.

Day numbers are proleptic-Gregorian ordinals (``date.toordinal()``); every
interval is inclusive. Values follow DESIGN.md: ``1918-03-30``, ``1918-03``,
``1918`` or ``START/END``; durations are ISO 8601 (``P3D``, ``P6W``, ``PT12H``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

#: Days between the Julian and the Gregorian calendar from 1 March 1900 to 28 February 2100.
JULIAN_OFFSET_1900 = 13


@dataclass(slots=True)
class TimeExpr:
    """One temporal expression found in a text.

    ``julian`` is the Julian reading of a dual date as the text writes it
    ("December 5", "9–12"); ``julian_value`` is that reading normalized, in
    Julian-calendar numbering ("1917-12-05"). ``anchor`` is the index (in the same result list) of the expression this
    one took its year or its day from, or None when it stands on its own.
    ``value`` is None (and ``earliest``/``latest`` too) when the expression
    could not be resolved safely; an underspecified date then keeps its
    known parts as ``XXXX-11-17``.
    """

    start: int
    end: int
    text: str
    value: str | None
    earliest: int | None
    latest: int | None
    precision: str
    kind: str
    calendar: str = "gregorian"
    julian: str | None = None
    anchor: int | None = None
    confidence: float = 1.0
    julian_value: str | None = None

    def to_json(self) -> dict[str, object]:
        """The DESIGN.md ``timex`` line, plus interval, anchor and confidence."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "precision": self.precision,
            "julian": self.julian,
            "julian_value": self.julian_value,
            "kind": self.kind,
            "calendar": self.calendar,
            "earliest": _iso(self.earliest),
            "latest": _iso(self.latest),
            "anchor": self.anchor,
            "confidence": round(self.confidence, 2),
        }


def _iso(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= month_length(year, month) and 1 <= year <= 9999


def julian_to_ordinal(year: int, month: int, day: int) -> int:
    """The Gregorian day number of a Julian-calendar date (via the Julian day number)."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return jdn - 1721425


def julian_offset(year: int) -> int:
    """Days the Gregorian calendar runs ahead of the Julian one in (most of) ``year``."""
    return julian_to_ordinal(year, 6, 1) - date(year, 6, 1).toordinal()


def iso_day(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1

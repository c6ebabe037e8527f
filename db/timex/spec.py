"""What an expression says, before the narrative supplies a missing year or day.

A :class:`Point` is a calendar unit (a day, a month, part of a month, a
season, a year, a decade, a century) whose year may be unknown; a
:class:`Span` joins two points; :class:`Dual` pairs a Gregorian reading with
the Julian one; :class:`Shift` is relative to the narrative's reference date;
:class:`Length` is a duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.timex.model import add_months, iso_day, iso_month, month_length, valid_day

# Parts of a unit: (first, last) fraction as month ranges for a year, day ranges for a month.
_MONTH_PARTS = {
    "early": (1, 10),
    "mid": (11, 20),
    "late": (21, 31),
    "first_half": (1, 15),
    "second_half": (16, 31),
}
_YEAR_PARTS = {
    "early": (1, 4),
    "mid": (5, 8),
    "late": (9, 12),
    "first_half": (1, 6),
    "second_half": (7, 12),
}
_DECADE_PARTS = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}
_CENTURY_PARTS = {"early": (0, 33), "mid": (34, 66), "late": (67, 99)}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A point or span with its year known: its interval and compact value."""

    earliest: int
    latest: int
    start_value: str
    end_value: str
    precision: str

    @property
    def value(self) -> str:
        if self.start_value == self.end_value:
            return self.start_value
        return f"{self.start_value}/{self.end_value}"


@dataclass(frozen=True, slots=True)
class Point:
    """A calendar unit. ``grain``: day, month, year, season, decade or century.

    For a season, ``month``..``month2`` are its months (``month2`` > 12 runs
    into the next year). ``year_shift`` is set for "June of the same year" /
    "of the following year": the year is the reference's plus the shift.
    """

    grain: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: str | None = None
    month2: int | None = None
    year_shift: int | None = None

    @property
    def needs_year(self) -> bool:
        return self.year is None

    def with_year(self, year: int) -> Point:
        return Point(
            self.grain, year, self.month, self.day, self.part, self.month2, self.year_shift
        )

    def resolve(self) -> Resolved | None:
        """The interval, or None when the year is unknown or the date does not exist."""
        y = self.year
        if y is None or not 1 <= y <= 9998:
            return None
        g = self.grain
        if g == "day":
            assert self.month is not None and self.day is not None
            if not valid_day(y, self.month, self.day):
                return None
            d = date(y, self.month, self.day).toordinal()
            v = iso_day(y, self.month, self.day)
            return Resolved(d, d, v, v, "day")
        if g == "month":
            assert self.month is not None
            m = self.month
            last = month_length(y, m)
            if self.part is None:
                v = iso_month(y, m)
                return Resolved(
                    date(y, m, 1).toordinal(), date(y, m, last).toordinal(), v, v, "month"
                )
            lo, hi = _MONTH_PARTS[self.part]
            hi = min(hi, last)
            return Resolved(
                date(y, m, lo).toordinal(),
                date(y, m, hi).toordinal(),
                iso_day(y, m, lo),
                iso_day(y, m, hi),
                "part_of_month",
            )
        if g == "season":
            assert self.month is not None and self.month2 is not None
            y2, m2 = add_months(y, self.month2, 0)
            return Resolved(
                date(y, self.month, 1).toordinal(),
                date(y2, m2, month_length(y2, m2)).toordinal(),
                iso_month(y, self.month),
                iso_month(y2, m2),
                "season",
            )
        if g == "year":
            if self.part is None:
                v = f"{y:04d}"
                return Resolved(
                    date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal(), v, v, "year"
                )
            lo, hi = _YEAR_PARTS[self.part]
            return Resolved(
                date(y, lo, 1).toordinal(),
                date(y, hi, month_length(y, hi)).toordinal(),
                iso_month(y, lo),
                iso_month(y, hi),
                "season",
            )
        if g in ("decade", "century"):
            parts = _DECADE_PARTS if g == "decade" else _CENTURY_PARTS
            size = 9 if g == "decade" else 99
            lo, hi = parts[self.part] if self.part else (0, size)
            a, b = y + lo, y + hi
            if not (1 <= a <= b <= 9999):
                return None
            return Resolved(
                date(a, 1, 1).toordinal(), date(b, 12, 31).toordinal(), f"{a:04d}", f"{b:04d}", g
            )
        raise ValueError(g)


@dataclass(frozen=True, slots=True)
class Span:
    """From one point to another ("22–25 January 1918", "1918–1920", "April–May 1920")."""

    first: Point
    last: Point

    @property
    def needs_year(self) -> bool:
        return self.first.year is None or self.last.year is None

    def with_year(self, year: int) -> Span:
        """Give the year to the end of the span; the start takes it too (or the year before)."""
        last = self.last if self.last.year is not None else self.last.with_year(year)
        first = self.first
        if first.year is None:
            first = first.with_year(last.year if last.year is not None else year)
            a, b = first.resolve(), last.resolve()
            if a is not None and b is not None and a.earliest > b.latest:
                first = first.with_year((first.year or year) - 1)  # "December 28 – January 3"
        return Span(first, last)

    def resolve(self) -> Resolved | None:
        a, b = self.first.resolve(), self.last.resolve()
        if a is None or b is None or a.earliest > b.latest:
            return None
        precision = (
            a.precision if a.precision == b.precision else _coarser(a.precision, b.precision)
        )
        return Resolved(a.earliest, b.latest, a.start_value, b.end_value, precision)


_ORDER = ("day", "part_of_month", "month", "season", "year", "decade", "century")


def _coarser(p: str, q: str) -> str:
    return p if _ORDER.index(p) >= _ORDER.index(q) else q


@dataclass(frozen=True, slots=True)
class Dual:
    """A date given in both calendars: the Gregorian reading (the event date) and the Julian one."""

    gregorian: Point | Span
    julian: Point | Span
    julian_span: tuple[int, int] = (0, 0)  # where the text writes the Julian reading

    @property
    def needs_year(self) -> bool:
        return self.gregorian.needs_year


@dataclass(frozen=True, slots=True)
class Shift:
    """Relative to the reference date: ``n`` units later (negative: earlier); ``n == 0``: the same.

    ``unit``: day, week, month, year, or "time" (at the same time: the reference itself).
    ``n`` is None for an amount that cannot be computed ("a few days later").
    """

    n: float | None
    unit: str


@dataclass(frozen=True, slots=True)
class Length:
    """A duration: ``n`` units (None: unspecified, "several months")."""

    n: float | None
    unit: str

    @property
    def value(self) -> str:
        n, unit = self.n, self.unit
        if unit == "decade":
            n, unit = (None if n is None else n * 10), "year"
        amount = "X" if n is None else f"{n:g}"
        if unit == "hour":
            return f"PT{amount}H"
        return f"P{amount}{unit[0].upper()}"


Spec = Point | Span | Dual | Shift | Length

"""Gregorian and Julian (old style) calendar arithmetic on day numbers.

Day numbers are proleptic-Gregorian ordinals (``date.toordinal()``). The Julian
calendar is used for axis labels before :data:`NEW_STYLE_START` when the user
asks for old-style dates: Soviet Russia (and with it the Transcaucasus) went
from 31 January 1918 (Julian) straight to 14 February 1918 (Gregorian).
"""

from __future__ import annotations

from datetime import date

#: First day of the new style: 14 February 1918 (Gregorian) followed 31 January (Julian).
NEW_STYLE_START = date(1918, 2, 14).toordinal()

_JDN_OFFSET = 1721425  # Julian Day Number of ordinal 0 (date.toordinal() of 0001-01-01 is 1)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_SHORT = tuple(m[:3] for m in MONTHS)


def to_julian(day: int) -> tuple[int, int, int]:
    """(year, month, day) in the Julian calendar of a day number."""
    c = day + _JDN_OFFSET + 32082
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    dd = e - (153 * m + 2) // 5 + 1
    mm = m + 3 - 12 * (m // 10)
    yy = d - 4800 + m // 10
    return yy, mm, dd


def from_julian(year: int, month: int, day: int) -> int:
    """Day number of a Julian calendar date."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return jdn - _JDN_OFFSET


def to_ymd(day: int, julian: bool = False) -> tuple[int, int, int]:
    """(year, month, day) of a day number, in the Julian calendar when asked and before 1918-02-14."""
    if julian and day < NEW_STYLE_START:
        return to_julian(day)
    d = date.fromordinal(max(1, day))
    return d.year, d.month, d.day


def from_ymd(year: int, month: int, day: int, julian: bool = False) -> int:
    """Day number of (year, month, day) in the chosen calendar."""
    if julian:
        return from_julian(year, month, day)
    return date(max(1, min(9999, year)), month, day).toordinal()


def uses_julian(day: int, julian: bool) -> bool:
    return julian and day < NEW_STYLE_START


def format_day(day: int, julian: bool = False) -> str:
    """'5 March 1918', with ' (O.S.)' when shown in the Julian calendar."""
    y, m, d = to_ymd(day, julian)
    text = f"{d} {MONTHS[m - 1]} {y}"
    return text + " (O.S.)" if uses_julian(day, julian) else text

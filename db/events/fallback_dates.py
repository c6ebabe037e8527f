"""A small date finder the event stage falls back on when no time expressions were stored.

The temporal tagger (``db.timex``) is the real source of dates; this module only
exists so that a build without that stage (or a source it produced nothing for)
still yields dated events. It understands the common absolute forms of
narrative prose — ``30 March 1918``, ``March 30, 1918``, ``On 5 April``,
``April 1920``, ``early May 1920``, ``22–25 January``, the dual Julian/Gregorian
dates of document 002 (``January 30 (February 12)``) — and carries the year
forward through the narrative. It knows nothing of relative expressions.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name and name != "May"
}

_MONTH = r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December)"
_DASH = r"\s*[–—-]\s*"
_YEAR = r"(?P<{g}>1[5-9]\d\d|20[0-4]\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 22–25 January 1918 / 22–25 January
    (
        "d_d_month",
        re.compile(
            r"\b(?P<d1>[0-3]?\d)"
            + _DASH
            + r"(?P<d2>[0-3]?\d)\s+"
            + _MONTH.format(g="m")
            + r"(?:,?\s+"
            + _YEAR.format(g="y")
            + r")?\b"
        ),
    ),
    # January 22–25 (9–12), 1918 / January 22–25
    (
        "month_d_d",
        re.compile(
            _MONTH.format(g="m")
            + r"\s+(?P<d1>[0-3]?\d)"
            + _DASH
            + r"(?P<d2>[0-3]?\d)\b(?:\s*\([^)]{1,20}\))?(?:,?\s+"
            + _YEAR.format(g="y")
            + r")?\b"
        ),
    ),
    # 30 March 1918 / 30 March
    (
        "d_month",
        re.compile(
            r"\b(?P<d>[0-3]?\d)\s+"
            + _MONTH.format(g="m")
            + r"(?:,?\s+"
            + _YEAR.format(g="y")
            + r")?\b"
        ),
    ),
    # March 30, 1918 / December 5 (old calendar: 18), 1917 / January 30 (February 12)
    (
        "month_d",
        re.compile(
            _MONTH.format(g="m")
            + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:[–—-]|,\s*\d{1,2}\b))"
            + r"(?:\s*\((?:old calendar:\s*)?(?P<dual>[^)]{1,20})\))?"
            + r"(?:,?\s+"
            + _YEAR.format(g="y")
            + r")?\b"
        ),
    ),
    # early/mid/late April 1920, April 1920, mid-June
    (
        "month",
        re.compile(
            r"(?:\b(?P<part>early|mid|late|the end of|the beginning of|the middle of)[\s-]+)?"
            + _MONTH.format(g="m")
            + r"(?:,?\s+"
            + _YEAR.format(g="y")
            + r")?\b"
        ),
    ),
    # in 1918 / by 1919
    (
        "year",
        re.compile(
            r"\b" + _YEAR.format(g="y") + r"\b(?![–—-]?\d)(?!\s*(?:years?|members|soldiers))"
        ),
    ),
]


@dataclass
class FoundDate:
    start: int
    end: int
    text: str
    earliest: int
    latest: int
    precision: str
    value: str
    inferred: bool  # the year came from the narrative
    julian: str | None = None


def _month_span(y: int, m: int) -> tuple[int, int]:
    last = calendar.monthrange(y, m)[1]
    return date(y, m, 1).toordinal(), date(y, m, last).toordinal()


def _safe_day(y: int, m: int, d: int) -> int | None:
    try:
        return date(y, m, d).toordinal()
    except ValueError:
        return None


def _value(a: int, b: int, precision: str) -> str:
    da, db_ = date.fromordinal(a), date.fromordinal(b)
    if precision == "year":
        return f"{da.year:04d}"
    if precision == "month":
        return f"{da.year:04d}-{da.month:02d}"
    if a == b:
        return da.isoformat()
    return f"{da.isoformat()}/{db_.isoformat()}"


def find_dates(text: str, base: int, year: int | None) -> tuple[list[FoundDate], int | None]:
    """Dates in ``text`` (offsets shifted by ``base``); ``year`` is the narrative's current year.

    Returns the dates and the narrative year after this text.
    """
    taken: list[tuple[int, int]] = []
    found: list[FoundDate] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            gd = m.groupdict()
            y_text = gd.get("y")
            if kind == "year":
                y = int(m.group("y"))
                # "the 1870 reform", "1,200": a year must stand on its own.
                before = text[max(0, s - 12) : s].lower()
                if s > 0 and text[s - 1] in ",.$£0123456789":
                    continue
                if not re.search(
                    r"\b(in|by|of|since|until|from|during|to|and|summer|spring|autumn|winter|early|late|mid|end)\s*$",
                    before,
                ):
                    continue
                a, b = date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()
                found.append(
                    FoundDate(base + s, base + e, m.group(0), a, b, "year", f"{y:04d}", False)
                )
                taken.append((s, e))
                year = y
                continue
            y_or_none = int(y_text) if y_text else year
            if y_or_none is None:
                continue
            y = y_or_none
            inferred = y_text is None
            mo = MONTHS[gd["m"].lower()]
            julian: str | None = None
            if kind == "month":
                a, b = _month_span(y, mo)
                part = gd.get("part")
                precision = "month"
                if part in ("early", "the beginning of"):
                    b = a + 9
                    precision = "part_of_month"
                elif part in ("mid", "the middle of"):
                    a, b = a + 10, a + 19
                    precision = "part_of_month"
                elif part in ("late", "the end of"):
                    a += 20
                    precision = "part_of_month"
                if (
                    not y_text
                    and not part
                    and not re.search(
                        r"\b(in|by|of|since|until|from|during)\s+$", text[max(0, s - 8) : s].lower()
                    )
                ):
                    continue  # a bare month name ("May") is too often not a date
            elif kind in ("d_month", "month_d"):
                d = int(gd["d"])
                day = _safe_day(y, mo, d)
                if day is None:
                    continue
                a = b = day
                precision = "day"
                dual = gd.get("dual")
                if dual:
                    dm = re.fullmatch(r"\s*(?:(?P<m2>[A-Z][a-z]+)\s+)?(?P<d2>[0-3]?\d)\s*", dual)
                    if dm is not None:
                        mo2 = MONTHS.get((dm.group("m2") or gd["m"]).lower(), mo)
                        y2 = y + 1 if mo2 < mo else y
                        other = _safe_day(y2, mo2, int(dm.group("d2")))
                        if other is not None and abs(other - day) in (12, 13):
                            julian = m.group(0)
                            a = b = max(day, other)
            else:
                d1, d2 = int(gd["d1"]), int(gd["d2"])
                da, dbb = _safe_day(y, mo, d1), _safe_day(y, mo, d2)
                if da is None or dbb is None or dbb < da:
                    continue
                a, b = da, dbb
                precision = "day"
            found.append(
                FoundDate(
                    base + s,
                    base + e,
                    m.group(0),
                    a,
                    b,
                    precision,
                    _value(a, b, precision),
                    inferred,
                    julian,
                )
            )
            taken.append((s, e))
            if y_text:
                year = int(y_text)
    found.sort(key=lambda f: f.start)
    return found, year

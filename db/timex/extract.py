"""Finding temporal expressions: compiled patterns → non-overlapping mentions with their specs.

Every pattern starts with a required month name, digit or keyword so the
regex engine can skip ahead quickly; month- and digit-led patterns are only
tried where a month name or a digit run starts. Context words in front of a
match ("between", "from", "in", "early", "the", a number before a unit) are
read by looking back from the match start. Where two candidates overlap, the
longer one wins.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from db.ingest.normalize import split_glued_days
from db.timex.model import julian_offset
from db.timex.spec import Dual, Length, Point, Shift, Span, Spec

MONTH_NUMBERS = {
    name.lower(): i
    for i, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_ABBR = r"Sept\.?|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?"
# Every pattern starts with a month name, a digit or a literal keyword: the regex engine
# then skips ahead to those characters instead of trying the pattern at every position.
MON = rf"(?:{_FULL}|{_ABBR})(?![a-z])"
FULL = rf"(?:{_FULL})(?![a-z])"
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![0-9]|,[0-9]{3})"
DAY0 = r"[0-9]{1,2}(?:st|nd|rd|th)?(?![0-9]|,[0-9]{3})"  # leading: checked by the handler
YEAR = r"(?<![0-9,.])(?:1[0-9]{3}|20[0-9]{2})(?![0-9]|,[0-9]{3}|\.[0-9])"
YEAR0 = r"(?:1[0-9]{3}|20[0-9]{2})(?![0-9]|,[0-9]{3}|\.[0-9])"
DASH = r"\s?[–—‒-]\s?"
SEP = rf"(?:{DASH}|\s(?:and|to|until|till|through)\s)"
OLDNEW = r"(?:(?:old|new|Old|New)\s(?:calendar|style|Style)|[ON]\.\s?S\.|[on]\.s\.)"
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
_VAGUE = ("a few", "several", "few", "many", "some")
NUM = (
    r"(?:[0-9]{1,3}|(?:a\sfew|several|few|many)|"
    r"(?:[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Ee]leven"
    r"|[Tt]welve|[Tt]hirteen|[Ff]ourteen|[Ff]ifteen|[Ss]ixteen|[Ss]eventeen|[Ee]ighteen"
    r"|[Nn]ineteen|[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Aa]n?))"
)
UNIT = r"(?:hours?|days?|weeks?|months?|years?|decades?)"
_NUM_BEFORE = re.compile(rf"(?<![\w-])(?P<n>{NUM})(?P<half>[\s-]and[\s-]a[\s-]half)?[\s-]\Z")
_PART_BEFORE = re.compile(
    r"(?:(?:(?<![A-Za-z])[Tt]he\s)?(?P<pw>beginning|start|end|middle|first\shalf|second\shalf)"
    r"\sof\s(?:the\s)?|(?<![A-Za-z])(?P<pa>[Ee]arly|[Ll]ate|[Mm]id)(?:\s|-))\Z"
)
_THE_PART_BEFORE = re.compile(
    r"(?:(?<![A-Za-z])[Tt]he\s)?(?:(?<![A-Za-z])(?P<p>[Ee]arly|[Ll]ate|[Mm]id)[\s-])?\Z"
)
_THE_BEFORE = re.compile(r"(?<![A-Za-z])[Tt]he\s\Z")
_MONTH_PREPOSITION = re.compile(
    r"(?<![A-Za-z])(?:[Ii]n|[Bb]y|[Ss]ince|[Uu]ntil|[Tt]ill|[Dd]uring|[Tt]hroughout|[Ff]rom"
    r"|[Bb]efore|[Aa]fter|[Ll]ast|[Nn]ext)\s\Z"
)
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 14),
}

#: Words after a four-digit number that make it a count, not a year.
_COUNT_NOUNS = frozenset(
    [
        "people",
        "persons",
        "men",
        "women",
        "children",
        "soldiers",
        "troops",
        "fighters",
        "officers",
        "rifles",
        "guns",
        "cannons",
        "cartridges",
        "horses",
        "households",
        "families",
        "villages",
        "houses",
        "meters",
        "metres",
        "kilometres",
        "kilometers",
        "km",
        "miles",
        "feet",
        "versts",
        "rubles",
        "roubles",
        "dollars",
        "pounds",
        "individuals",
        "members",
        "casualties",
        "refugees",
        "inhabitants",
        "residents",
        "workers",
        "prisoners",
        "wounded",
        "killed",
        "dead",
        "victims",
        "armenians",
        "azerbaijanis",
        "muslims",
        "russians",
        "turks",
        "kurds",
        "georgians",
        "strong",
    ]
)
_QUANTIFIERS = re.compile(
    r"(?:about|approximately|around|over|nearly|almost|some|than|up\sto|No\.|p\.|pp\.|\$|#)\s?\Z"
)
_RANGE_PREFIX = re.compile(r"(?:[Bb]etween|[Ff]rom)\s\Z")


@dataclass(slots=True)
class Mention:
    """A candidate: where it is and what it says."""

    start: int
    end: int
    spec: Spec


Handler = Callable[[re.Match[str], str, "Era"], Mention | None]


@dataclass(frozen=True, slots=True)
class Era:
    """The span of years a document is about, for telling glued day ranges from years."""

    lo: int
    hi: int

    def plausible_year(self, y: int) -> bool:
        return self.lo <= y <= self.hi


_ERA_YEAR = re.compile(r"(?<![0-9,])(?:1[0-9]{3}|20[0-9]{2})(?![0-9,])")


def document_era(text: str) -> Era:
    """Years within 30 (or three median deviations) of the median year the text mentions.

    Robust to a few outliers, which are exactly what it must judge: in a text
    about 1918, "September 2024" is the day range 20–24 September.
    """
    years = sorted(int(y) for y in _ERA_YEAR.findall(text))
    if not years:
        return Era(1000, 2100)
    median = years[len(years) // 2]
    deviations = sorted(abs(y - median) for y in years)
    width = max(30, 3 * deviations[len(deviations) // 2])
    return Era(median - width, median + width)


def _month(s: str) -> int:
    return MONTH_NUMBERS[s.rstrip(".").lower()]


def _day(s: str) -> int:
    return int(s.rstrip("stndrh"))


def _year(s: str | None) -> int | None:
    return int(s) if s else None


def _has_prefix(text: str, start: int) -> bool:
    return _RANGE_PREFIX.search(text, max(0, start - 9), start) is not None


def _start_with_prefix(text: str, start: int) -> int:
    m = _RANGE_PREFIX.search(text, max(0, start - 9), start)
    return m.start() if m else start


def _amount(s: str) -> float | None:
    s = s.lower()
    if s in _VAGUE:
        return None
    if s.isdigit():
        return float(s)
    return float(_NUMBER_WORDS[s])


# --- handlers -----------------------------------------------------------------------------


def _signed_gap(m1: int, d1: int, m2: int, d2: int, probe: int) -> int | None:
    """Days from (m1, d1) to the nearest (m2, d2), across a year end if need be."""
    gaps = []
    for k in (-1, 0, 1):
        try:
            gaps.append((date(probe + k, m2, d2) - date(probe, m1, d1)).days)
        except ValueError:
            continue
    return min(gaps, key=abs) if gaps else None


def _paired_month(m1: int, d1: int, d2: int, offsets: set[int], probe: int) -> int | None:
    """The month of the other reading of (m1, d1) when the text gives only its day d2."""
    for m2 in (m1, m1 % 12 + 1, (m1 - 2) % 12 + 1):
        gap = _signed_gap(m1, d1, m2, d2, probe)
        if gap is not None and abs(gap) in offsets:
            return m2
    return None


def _dual(m: re.Match[str], text: str, era: Era) -> Mention | None:
    m1 = _month(m["m1"])
    d1, d2 = _day(m["d1"]), _day(m["d2"])
    if not 1 <= d1 <= 31:
        return None
    d1b = _day(m["d1b"]) if m["d1b"] else None
    d2b = _day(m["d2b"]) if m["d2b"] else None
    if (d1b is None) != (d2b is None):
        return None
    year = _year(m["y"])
    probe = year if year is not None else 1917
    # Gregorian runs 12 days ahead of the Julian calendar in the 19th century, 13 in 1900–2099.
    offsets = {julian_offset(year)} if year is not None else {12, 13}
    m2 = _month(m["m2"]) if m["m2"] else _paired_month(m1, d1, d2, offsets, probe)
    if m2 is None:
        return None
    diff = _signed_gap(m1, d1, m2, d2, probe)
    if diff is None or abs(diff) not in offsets:
        return None
    first_is_julian = diff > 0
    m1b = m2b = None
    if d1b is not None and d2b is not None:
        if d1b <= d1 or d2b <= d2:
            return None
        m1b = m1
        m2b = _paired_month(m1b, d1b, d2b, offsets, probe)
        if m2b is None:
            return None
    # A year written once belongs to the Gregorian reading (see anchor._julian_value).
    g = (m2, d2, m2b, d2b) if first_is_julian else (m1, d1, m1b, d1b)
    j = (m1, d1, m1b, d1b) if first_is_julian else (m2, d2, m2b, d2b)
    greg: Point | Span = Point("day", year, g[0], g[1])
    jul: Point | Span = Point("day", None, j[0], j[1])
    if g[2] is not None and g[3] is not None and j[2] is not None and j[3] is not None:
        greg = Span(Point("day", year, g[0], g[1]), Point("day", year, g[2], g[3]))
        jul = Span(Point("day", None, j[0], j[1]), Point("day", None, j[2], j[3]))
    first, second = ("m1", "d1", "d1b"), ("m2", "d2", "d2b")
    groups = [g for g in (first if first_is_julian else second) if m[g] is not None]
    written = (min(m.start(g) for g in groups), max(m.end(g) for g in groups))
    return Mention(m.start(), m.end(), Dual(greg, jul, written))


def _range_dm(m: re.Match[str], text: str, era: Era) -> Mention | None:
    sep = m["sep"].strip()
    prefixed = _has_prefix(text, m.start())
    if sep == "and" and not (prefixed or not m["m1"]):
        return None
    if sep in ("to", "until", "till", "through") and not prefixed and not m["m1"]:
        return None
    m2 = _month(m["m2"])
    m1 = _month(m["m1"]) if m["m1"] else m2
    d1, d2 = _day(m["d1"]), _day(m["d2"])
    y2 = _year(m["y2"])
    y1 = _year(m["y1"]) or y2
    if not 1 <= d1 <= 31 or (m1 == m2 and d1 >= d2 and y1 == y2):
        return None
    start = _start_with_prefix(text, m.start()) if prefixed else m.start()
    return Mention(start, m.end(), Span(Point("day", y1, m1, d1), Point("day", y2, m2, d2)))


def _range_md(m: re.Match[str], text: str, era: Era) -> Mention | None:
    sep = m["sep"].strip()
    prefixed = _has_prefix(text, m.start())
    if sep == "and" and not prefixed:
        return None
    if sep in ("to", "until", "till", "through") and not (prefixed or m["m2"]):
        return None
    m1 = _month(m["m1"])
    m2 = _month(m["m2"]) if m["m2"] else m1
    d1, d2 = _day(m["d1"]), _day(m["d2"])
    y2 = _year(m["y2"])
    y1 = _year(m["y1"]) or y2
    if m1 == m2 and d1 >= d2:
        return None
    start = _start_with_prefix(text, m.start()) if prefixed else m.start()
    return Mention(start, m.end(), Span(Point("day", y1, m1, d1), Point("day", y2, m2, d2)))


def _range_month(m: re.Match[str], text: str, era: Era) -> Mention | None:
    sep = m["sep"].strip()
    prefixed = _has_prefix(text, m.start())
    if sep not in "–—‒-" and not prefixed:
        return None
    m1, m2 = _month(m["m1"]), _month(m["m2"])
    y2 = _year(m["y2"])
    y1 = _year(m["y1"])
    if y1 is None and y2 is not None:
        y1 = y2 if m1 < m2 else y2 - 1
    if m1 == m2 and y1 == y2:
        return None
    start = _start_with_prefix(text, m.start()) if prefixed else m.start()
    return Mention(start, m.end(), Span(Point("month", y1, m1), Point("month", y2, m2)))


def _range_year(m: re.Match[str], text: str, era: Era) -> Mention | None:
    sep = m["sep"].strip()
    prefixed = _has_prefix(text, m.start()) or text[max(0, m.start() - 8) : m.start()] in (
        "Through ",
        "through ",
    )
    if sep not in "–—‒-" and not prefixed:
        return None
    y1 = int(m["y1"])
    raw = m["y2"]
    y2 = int(raw) if len(raw) == 4 else (y1 // 100) * 100 + int(raw)
    if not y1 < y2 <= y1 + 100:
        return None
    start = _start_with_prefix(text, m.start()) if _has_prefix(text, m.start()) else m.start()
    return Mention(start, m.end(), Span(Point("year", y1), Point("year", y2)))


def _glued(m: re.Match[str], text: str, era: Era) -> Mention | None:
    digits = m["g"]
    if len(digits) == 4 and era.plausible_year(int(digits)):
        return None
    split = split_glued_days(digits)
    if split is None:
        return None
    mo = _month(m["m"])
    y = _year(m["y"]) if "y" in m.groupdict() else None
    return Mention(
        m.start(), m.end(), Span(Point("day", y, mo, split[0]), Point("day", y, mo, split[1]))
    )


def _date(m: re.Match[str], text: str, era: Era) -> Mention | None:
    if not 1 <= _day(m["d"]) <= 31:
        return None
    return Mention(m.start(), m.end(), Point("day", _year(m["y"]), _month(m["m"]), _day(m["d"])))


_PART_WORDS = {
    "beginning": "early",
    "start": "early",
    "end": "late",
    "middle": "mid",
    "first half": "first_half",
    "second half": "second_half",
    "early": "early",
    "late": "late",
    "mid": "mid",
}


def _part_before(text: str, start: int) -> tuple[int, str] | None:
    """ "early ", "the end of ", "mid-" right before ``start``: (where it begins, the part)."""
    m = _PART_BEFORE.search(text, max(0, start - 32), start)
    if m is None:
        return None
    word = re.sub(r"\s+", " ", (m["pw"] or m["pa"]).lower())
    return m.start(), _PART_WORDS[word]


def _month_year(m: re.Match[str], text: str, era: Era) -> Mention | None:
    part = _part_before(text, m.start())
    if part is not None:
        return Mention(part[0], m.end(), Point("month", int(m["y"]), _month(m["m"]), part=part[1]))
    return Mention(m.start(), m.end(), Point("month", int(m["y"]), _month(m["m"])))


def _bare_month(m: re.Match[str], text: str, era: Era) -> Mention | None:
    part = _part_before(text, m.start())
    if part is not None:
        return Mention(part[0], m.end(), Point("month", None, _month(m["m"]), part=part[1]))
    if _MONTH_PREPOSITION.search(text, max(0, m.start() - 12), m.start()) is None:
        return None
    return Mention(m.start(), m.end(), Point("month", None, _month(m["m"])))


def _season_months(part: str | None, season: str) -> tuple[int, int]:
    a, b = SEASONS[season.lower()]
    if part == "early":
        return a, a
    if part == "mid":
        return a + 1, a + 1
    if part == "late":
        return b, b
    return a, b


def _season(m: re.Match[str], text: str, era: Era) -> Mention | None:
    before = _THE_PART_BEFORE.search(text, max(0, m.start() - 12), m.start())
    assert before is not None  # the pattern can match the empty string
    lo, hi = _season_months(before["p"] and before["p"].lower(), m["s1"])
    if m["s2"]:
        _lo2, hi2 = _season_months(m["p2"], m["s2"])
        if hi2 < lo:
            return None
        hi = hi2
    return Mention(before.start(), m.end(), Point("season", int(m["y"]), lo, month2=hi))


def _decade(m: re.Match[str], text: str, era: Era) -> Mention | None:
    before = _THE_PART_BEFORE.search(text, max(0, m.start() - 12), m.start())
    assert before is not None
    part = before["p"] and before["p"].lower()
    return Mention(before.start(), m.end(), Point("decade", int(m["dec"]), part=part))


def _century(m: re.Match[str], text: str, era: Era) -> Mention | None:
    n = int(m["c"])
    if not 1 <= n <= 21:
        return None
    before = _THE_PART_BEFORE.search(text, max(0, m.start() - 12), m.start())
    assert before is not None
    part = before["p"] and before["p"].lower()
    return Mention(before.start(), m.end(), Point("century", (n - 1) * 100, part=part))


def _year_only(m: re.Match[str], text: str, era: Era) -> Mention | None:
    part = _part_before(text, m.start())
    if part is not None:
        return Mention(part[0], m.end(), Point("year", int(m["y"]), part=part[1]))
    after = text[m.end() : m.end() + 24]
    nxt = re.match(r"\s+([A-Za-z]+)", after)
    if nxt and nxt.group(1).lower() in _COUNT_NOUNS:
        return None
    if after.startswith(("%", " percent", "-year", " year", ":")):
        return None
    if _QUANTIFIERS.search(text, max(0, m.start() - 14), m.start()):
        return None
    return Mention(m.start(), m.end(), Point("year", int(m["y"])))


_REL_WORDS = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0}
_REL_UNITS = {
    "day": "day",
    "morning": "day",
    "afternoon": "day",
    "evening": "day",
    "night": "day",
    "date": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}


def _rel_next(m: re.Match[str], text: str, era: Era) -> Mention | None:
    the = _THE_BEFORE.search(text, max(0, m.start() - 4), m.start())
    if the is None:
        return None
    return Mention(the.start(), m.end(), Shift(_REL_WORDS[m["w"]], _REL_UNITS[m["u"]]))


def _rel_that(m: re.Match[str], text: str, era: Era) -> Mention | None:
    return Mention(m.start(), m.end(), Shift(0, _REL_UNITS[m["u"]]))


def _rel_after(m: re.Match[str], text: str, era: Era) -> Mention | None:
    return Mention(m.start(), m.end(), Shift(1 if m["w"] == "after" else -1, m["u"]))


def _amount_or_length(m: re.Match[str], text: str, era: Era) -> Mention | None:
    """ "three days", "a month and a half later": found at the unit, the number read backwards."""
    num = _NUM_BEFORE.search(text, max(0, m.start() - 24), m.start())
    if num is None:
        return None
    n = _amount(num["n"])
    if n is not None and (num["half"] or m["half2"]):
        n += 0.5
    unit = m["u"].rstrip("s")
    if m["w"]:
        sign = -1 if m["w"] in ("earlier", "before", "ago") else 1
        return Mention(num.start(), m.end(), Shift(None if n is None else sign * n, unit))
    return Mention(num.start(), m.end(), Length(n, unit))


def _rel_time(m: re.Match[str], text: str, era: Era) -> Mention | None:
    return Mention(m.start(), m.end(), Shift(0, "time"))


def _month_of_year(m: re.Match[str], text: str, era: Era) -> Mention | None:
    shift = _REL_WORDS.get(m["w"] or "same", 0)
    return Mention(m.start(), m.end(), Point("month", None, _month(m["m"]), year_shift=shift))


# --- the pattern table ---------------------------------------------------------------------

_SEASON_WORD = r"Spring|spring|Summer|summer|Autumn|autumn|Fall|fall|Winter|winter"
_PATTERNS: list[tuple[str, str, Handler]] = [
    (
        "dual_md",
        rf"(?P<m1>{MON})\s(?P<d1>{DAY})(?:{DASH}(?P<d1b>{DAY}))?\s?\((?:{OLDNEW}[:,]?\s)?"
        rf"(?:(?P<m2>{MON})\s)?(?P<d2>{DAY})(?:{DASH}(?P<d2b>{DAY}))?(?:,?\s{OLDNEW})?\)"
        rf"(?:,?\s(?P<y>{YEAR}))?",
        _dual,
    ),
    (
        "dual_dm",
        rf"(?P<d1>{DAY0})(?:{DASH}(?P<d1b>{DAY}))?\s(?P<m1>{MON})\s?\((?:{OLDNEW}[:,]?\s)?"
        rf"(?P<d2>{DAY})(?:{DASH}(?P<d2b>{DAY}))?(?:\s(?P<m2>{MON}))?(?:,?\s{OLDNEW})?\)"
        rf"(?:,?\s(?P<y>{YEAR}))?",
        _dual,
    ),
    (
        "range_dm",
        rf"(?P<d1>{DAY0})(?:\s(?P<m1>{MON})(?:,?\s(?P<y1>{YEAR}))?)?(?P<sep>{SEP})"
        rf"(?P<d2>{DAY})\s(?P<m2>{MON})(?:,?\s(?P<y2>{YEAR}))?",
        _range_dm,
    ),
    (
        "range_md",
        rf"(?P<m1>{MON})\s(?P<d1>{DAY})(?:,?\s(?P<y1>{YEAR}))?(?P<sep>{SEP})"
        rf"(?:(?P<m2>{MON})\s)?(?P<d2>{DAY})(?:,?\s(?P<y2>{YEAR}))?",
        _range_md,
    ),
    (
        "range_month",
        rf"(?P<m1>{FULL})(?:,?\s(?P<y1>{YEAR}))?(?P<sep>{SEP})(?P<m2>{FULL})(?:,?\s(?P<y2>{YEAR}))?",
        _range_month,
    ),
    (
        "range_year",
        rf"(?P<y1>{YEAR0})(?P<sep>{SEP})(?P<y2>[0-9]{{4}}|[0-9]{{2}})(?![0-9]|,[0-9]|s\b|’s|'s)",
        _range_year,
    ),
    ("glued_dm", rf"(?P<g>[0-9]{{3,4}})\s(?P<m>{MON})(?:,?\s(?P<y>{YEAR}))?", _glued),
    ("glued_md", rf"(?P<m>{MON})\s(?P<g>[0-9]{{3,4}})(?![0-9]|,[0-9])", _glued),
    ("date_dm", rf"(?P<d>{DAY0})\s(?:of\s)?(?P<m>{MON})(?:,?\s(?P<y>{YEAR}))?", _date),
    ("date_md", rf"(?P<m>{MON})\s(?P<d>{DAY})(?:,?\s(?P<y>{YEAR}))?", _date),
    ("month_year", rf"(?P<m>{MON}),?\s(?P<y>{YEAR})", _month_year),
    (
        "bare_month",
        rf"(?P<m>{FULL})(?!\s?[0-9]|\s?[–—-]\s?(?:[0-9]|{FULL}))",
        _bare_month,
    ),
    (
        "season",
        rf"(?P<s1>{_SEASON_WORD})"
        r"(?:\s(?:and|to|or)\s(?:(?P<p2>early|late|mid)[\s-])?(?P<s2>spring|summer|autumn|fall|winter))?"
        rf"(?:\sof\s|,?\s)(?P<y>{YEAR})",
        _season,
    ),
    ("decade", r"(?P<dec>1[0-9]{2}0|20[0-9]0)(?:s|’s|'s)\b", _decade),
    (
        "century",
        r"(?P<c>[0-9]{1,2})(?:st|nd|rd|th)(?:,?\s(?:centur(?:y|ies))"
        r"|(?=,?\s(?:and|or|to)\s(?:[a-z]+\s)?(?:the\s)?[0-9]{1,2}(?:st|nd|rd|th),?\scentur))",
        _century,
    ),
    ("year", rf"(?P<y>{YEAR0})(?!\s?[–—-]\s?[0-9]|s\b|’s|'s)", _year_only),
    (
        "rel_next",
        r"(?P<w>next|following|previous|preceding|same)\s"
        r"(?P<u>day|morning|afternoon|evening|night|week|month|year|date)\b",
        _rel_next,
    ),
    (
        "rel_that",
        r"(?:That|that|This|this)\s(?:very\s)?(?P<u>day|month|year|night|morning|evening|afternoon)\b"
        r"(?!['’]s)",
        _rel_that,
    ),
    (
        "rel_after",
        r"(?:The|the)\s(?P<u>day|week|month|year)\s(?P<w>after|before)(?=\s?[,.;)]|\s(?:on|in)\s)",
        _rel_after,
    ),
    (
        "amount",
        r"(?P<u>hours|hour|days|day|weeks|week|months|month|years|year|decades|decade)"
        r"(?P<half2>\sand\sa\shalf)?(?:(?P<long>-long)"
        r"|\s(?P<w>later|earlier|afterwards?(?=\s?[,.;])|before(?=\s?[,.;])|ago)\b)?(?![\w-])",
        _amount_or_length,
    ),
    (
        "rel_time",
        r"(?:At|at|By|by|Around|around)\s(?:the\ssame|that|this)\stime\b"
        r"|(?:At|at)\sthe\stime(?=\s?[,.;])",
        _rel_time,
    ),
    (
        "month_of_year",
        rf"(?P<m>{FULL})\sof\s(?:the\s(?P<w>same|following|next|previous)|that)\syear\b",
        _month_of_year,
    ),
]

_COMPILED: list[tuple[str, re.Pattern[str], Handler]] = [
    (name, re.compile(rx), fn) for name, rx, fn in _PATTERNS
]
# Patterns that start with a month name or a digit are tried only where one starts:
# one pass finds those places, then each pattern is matched there (cheaper than a
# full pass per pattern). The rest scan the whole text.
_MONTH_ANCHOR = re.compile(MON)
_DIGIT_ANCHOR = re.compile(r"[0-9]+")
_MONTH_LED = frozenset(
    [
        "dual_md",
        "range_md",
        "range_month",
        "glued_md",
        "date_md",
        "month_year",
        "bare_month",
        "month_of_year",
    ]
)
_DIGIT_LED = frozenset(
    ("dual_dm", "range_dm", "range_year", "glued_dm", "date_dm", "decade", "century", "year")
)


def _clean_left(text: str, start: int) -> bool:
    """Not inside a word or a number ("1,918", "Sumayyah")."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in ",.")


def _matches(
    name: str, rx: re.Pattern[str], text: str, month_at: list[int], digit_at: list[int]
) -> Iterator[re.Match[str]]:
    if name in _MONTH_LED or name in _DIGIT_LED:
        for pos in month_at if name in _MONTH_LED else digit_at:
            m = rx.match(text, pos)
            if m is not None:
                yield m
        return
    for m in rx.finditer(text):
        if _clean_left(text, m.start()):
            yield m


def find_mentions(text: str, era: Era | None = None) -> list[Mention]:
    """All temporal expressions in ``text``, non-overlapping, in text order."""
    era = era or document_era(text)
    month_at = [m.start() for m in _MONTH_ANCHOR.finditer(text) if _clean_left(text, m.start())]
    digit_at = [m.start() for m in _DIGIT_ANCHOR.finditer(text) if _clean_left(text, m.start())]
    candidates: list[tuple[int, int, int, Mention]] = []
    for rank, (name, rx, fn) in enumerate(_COMPILED):
        for m in _matches(name, rx, text, month_at, digit_at):
            mention = fn(m, text, era)
            if mention is not None:
                candidates.append((mention.start - mention.end, rank, mention.start, mention))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    # Accepted spans never overlap, so sorted by start they are sorted by end too.
    starts: list[int] = []
    chosen: list[Mention] = []
    for _neg, _rank, _s, mention in candidates:
        i = bisect.bisect_right(starts, mention.start)
        if i > 0 and chosen[i - 1].end > mention.start:
            continue
        if i < len(starts) and starts[i] < mention.end:
            continue
        starts.insert(i, mention.start)
        chosen.insert(i, mention)
    return chosen

"""Narrative anchoring: giving underspecified and relative expressions their dates.

The reference date is the last date the narrative moved to in the same
section (explicit dates, and underspecified or relative ones once resolved).
Dates mentioned in passing — ``the borders of 1914``, ``the 1897 census``,
``(1918–1920)``, decades and centuries — do not move it. A missing year is the
candidate nearest the reference; "the next day" and "two weeks later" count
from the reference's last day. Anything without a safe anchor stays
unresolved (value None, or ``XXXX-MM-DD`` for a date missing only its year).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from datetime import date

from db.timex.extract import Mention
from db.timex.model import TimeExpr, add_months, iso_day, iso_month, month_length
from db.timex.spec import Dual, Length, Point, Resolved, Shift, Span


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (or caption, heading, infobox...) and the section it belongs to."""

    start: int
    end: int
    kind: str
    section: int


@dataclass(frozen=True, slots=True)
class _Ref:
    r: Resolved
    index: int
    block: int
    section: int


_PASSING_BEFORE = re.compile(r"(?:\bof|\bthe|\bThe|\(|’s|'s)\s?\Z")
# "the night of 17 March" is the narrative's date, not a passing mention.
_TIME_OF = re.compile(
    r"\b(?:night|morning|evening|afternoon|dawn|eve|day|date|midday|noon)\sof\s\Z"
)
_YEAR_ADVERBIAL = re.compile(
    r"(?:\b(?:[Ii]n|[Bb]y|[Uu]ntil|[Dd]uring|[Tt]hroughout|[Tt]hrough|[Ff]rom|[Bb]efore"
    r"|[Aa]fter|[Ee]nding|[Tt]ill))\s\Z"
)
_GRAIN_PRECISION = {
    "day": "day",
    "month": "month",
    "season": "season",
    "year": "year",
    "decade": "decade",
    "century": "century",
}


def _partial_value(p: Point) -> str:
    if p.grain == "day" and p.month is not None and p.day is not None:
        return f"XXXX-{p.month:02d}-{p.day:02d}"
    if p.grain == "month" and p.month is not None:
        return f"XXXX-{p.month:02d}"
    return "XXXX"


def _precision_of(p: Point) -> str:
    if p.grain == "month" and p.part:
        return "part_of_month"
    if p.grain == "year" and p.part:
        return "season"
    return _GRAIN_PRECISION[p.grain]


_ORDER = ("day", "part_of_month", "month", "season", "year", "decade", "century")
_PAST_PERFECT = re.compile(r"\bhad\b")
_SENTENCE_START = re.compile(r"(?:[.!?:;][\"”’')\]]*\s+|\n)(?=[^.!?:;\n]*\Z)")


# Words that open a sentence with its date ("In 1918,", "By early 1920,"); a clause
# such as "battalions established in 1918 began ..." tells the year in passing.
_OPENER = re.compile(
    r"\s*(?:\d+\s)?(?:In|By|On|At|During|From|Until|Since|After|Before|Throughout|Between|Around"
    r"|Toward|Towards|Early|Late|Later|Also|Then|And|But|Yet|Only|Even)\b",
)


def _sentence_start(text: str, pos: int) -> int:
    lo = max(0, pos - 300)
    m = _SENTENCE_START.search(text, lo, pos)
    return m.end() if m else lo


def _is_flashback(text: str, m: Mention, tx: TimeExpr, ref: _Ref | None, block: Block) -> bool:
    """A coarser date before the reference, told in passing: "who had fled in the summer of 1918".

    It opens no sentence ("In June 1918, ..." restarts the narrative), and either is
    past perfect or does not stand in the paragraph's first sentence (which often
    sets a new scene: "The first British attempt dates back to the summer of 1918").
    """
    if ref is None or tx.latest is None or tx.latest >= ref.r.earliest:
        return False
    if _ORDER.index(tx.precision) <= _ORDER.index(ref.r.precision):
        return False
    begin = max(_sentence_start(text, m.start), block.start)
    lead = text[begin : m.start]
    if len(lead.split()) <= 3 and _OPENER.match(lead):
        return False  # "In June 1918, ..." restarts the narrative
    return begin > block.start or _PAST_PERFECT.search(text, begin, m.start) is not None


def _moves_reference(text: str, m: Mention, block: Block) -> bool:
    spec = m.spec
    if isinstance(spec, Length) or (isinstance(spec, Shift) and spec.unit == "time"):
        return False
    if block.kind == "heading":
        return True
    if block.kind in ("bibliography", "byline"):
        return False
    if isinstance(spec, Point) and spec.grain in ("decade", "century"):
        return False
    if isinstance(spec, Shift):
        return True
    before = text[max(0, m.start - 6) : m.start]
    if _PASSING_BEFORE.search(before) and not _TIME_OF.search(text, max(0, m.start - 24), m.start):
        return False
    if isinstance(spec, Point) and spec.grain == "year" and spec.part is None:
        return _YEAR_ADVERBIAL.search(text, max(0, m.start - 12), m.start) is not None
    return True


def _infer_year(spec: Point | Span, ref: _Ref) -> tuple[Point | Span, Resolved, float] | None:
    """The reading of ``spec`` nearest the reference, with a confidence."""
    # A reference spanning years (a heading's "1918–19") opens a narrative at its start;
    # a shorter one is where the narrative has got to, so count from its end.
    pivot = ref.r.earliest if ref.r.latest - ref.r.earliest > 366 else ref.r.latest
    ry = date.fromordinal(pivot).year
    scored: list[tuple[int, int, Point | Span, Resolved]] = []
    for y in (ry - 1, ry, ry + 1):
        cand = spec.with_year(y)
        r = cand.resolve()
        if r is None:
            continue
        dist = max(0, r.earliest - ref.r.latest, ref.r.earliest - r.latest)
        scored.append((dist, abs(r.earliest - pivot), cand, r))
    if not scored:
        return None
    scored.sort(key=lambda t: (t[0], t[1]))
    dist, _tie, cand, r = scored[0]
    conf = 0.9
    if ref.r.latest - ref.r.earliest > 31:
        conf -= 0.15  # the reference is only a year or a range: the year is a guess
    if len(scored) > 1 and scored[1][0] - dist < 45:
        conf -= 0.2  # two readings almost equally near
    return cand, r, conf


def _shift(spec: Shift, ref: _Ref, same_block: bool) -> tuple[Resolved, float] | None:
    n, unit, r = spec.n, spec.unit, ref.r
    conf = 0.85 if same_block else 0.7
    if n is None:
        return None
    if unit == "time":
        return (r, 0.5) if same_block else None
    if unit in ("day", "week"):
        days = round(n * (7 if unit == "week" else 1))
        if r.precision == "part_of_month" and days != 0:
            # "Three weeks later" after "early September": the whole interval moves.
            lo, hi = r.earliest + days, r.latest + days
            va, vb = date.fromordinal(lo).isoformat(), date.fromordinal(hi).isoformat()
            return Resolved(lo, hi, va, vb, "part_of_month"), conf - 0.1
        if r.precision != "day":
            return None
        if n == 0:
            if r.earliest != r.latest:
                return None
            return r, conf
        d = r.latest + days if days > 0 else r.earliest + days
        v = date.fromordinal(d).isoformat()
        return Resolved(d, d, v, v, "day"), conf
    if unit == "month":
        if r.precision == "day" and n != 0:
            base = r.latest if n > 0 else r.earliest
            if n != int(n):
                d = base + round(n * 30)
                v = date.fromordinal(d).isoformat()
                return Resolved(d, d, v, v, "day"), conf - 0.2
            b = date.fromordinal(base)
            y, mo = add_months(b.year, b.month, int(n))
            return _month_resolved(y, mo), conf - 0.1
        if r.precision in ("day", "month") and n == int(n):
            b = date.fromordinal(r.latest if n >= 0 else r.earliest)
            y, mo = add_months(b.year, b.month, int(n))
            if n == 0 and date.fromordinal(r.earliest).month != b.month:
                return None
            return _month_resolved(y, mo), conf
        return None
    if unit == "year":
        if n != int(n) or r.precision in ("decade", "century"):
            return None
        y0, y1 = date.fromordinal(r.earliest).year, date.fromordinal(r.latest).year
        if n == 0 and y0 != y1:
            return None
        y = (y1 if n >= 0 else y0) + int(n)
        if not 1 <= y <= 9999:
            return None
        v = f"{y:04d}"
        return Resolved(date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal(), v, v, "year"), conf
    return None


def _month_resolved(y: int, mo: int) -> Resolved:
    v = iso_month(y, mo)
    return Resolved(
        date(y, mo, 1).toordinal(), date(y, mo, month_length(y, mo)).toordinal(), v, v, "month"
    )


def _julian_value(spec: Point | Span, greg_year: int, greg: Point | Span) -> str:
    def one(j: Point, g: Point) -> str:
        assert j.month is not None and j.day is not None and g.month is not None
        y = greg_year - 1 if (j.month == 12 and g.month == 1) else greg_year
        return iso_day(y, j.month, j.day)

    if isinstance(spec, Span) and isinstance(greg, Span):
        return f"{one(spec.first, greg.first)}/{one(spec.last, greg.last)}"
    assert isinstance(spec, Point) and isinstance(greg, Point)
    return one(spec, greg)


def _first_year(spec: Point | Span) -> int | None:
    return spec.first.year if isinstance(spec, Span) else spec.year


def _first_point(spec: Point | Span) -> Point:
    return spec.first if isinstance(spec, Span) else spec


def _first_full_dates(mentions: list[Mention], starts: list[int]) -> dict[int, tuple[int, _Ref]]:
    """Per block: the first day- or month-precise date that states its year, as a reference.

    A paragraph that opens with "In late November ..." and states "20 November 1920"
    a sentence later is about 1920, whatever year the paragraph before ended in.
    """
    found: dict[int, tuple[int, _Ref]] = {}
    for m in mentions:
        spec = m.spec
        if not isinstance(spec, Point | Span | Dual) or spec.needs_year:
            continue
        target = spec.gregorian if isinstance(spec, Dual) else spec
        if _first_point(target).grain not in ("day", "month"):
            continue
        bi = max(0, bisect.bisect_right(starts, m.start) - 1)
        r = target.resolve()
        if bi not in found and r is not None:
            found[bi] = (m.start, _Ref(r, -1, bi, -1))
    return found


def resolve(text: str, mentions: list[Mention], blocks: list[Block]) -> list[TimeExpr]:
    """Turn mentions (in text order) into time expressions, anchoring on the narrative."""
    starts = [b.start for b in blocks]
    ahead = _first_full_dates(mentions, starts)
    forward: dict[int, int] = {}  # index in out → text offset of the later date it was anchored on
    out: list[TimeExpr] = []
    ref: _Ref | None = None
    # A paragraph where an expression could not be dated ("At that time" with no date
    # before it) tells of a time of its own: do not count days into it from elsewhere.
    undated_block = -1
    for m in mentions:
        bi = max(0, bisect.bisect_right(starts, m.start) - 1)
        block = blocks[bi] if blocks else Block(0, len(text), "text", 0)
        if ref is not None and ref.section != block.section:
            ref = None
        spec = m.spec
        surface = text[m.start : m.end]
        tx: TimeExpr | None = None
        if isinstance(spec, Length):
            tx = TimeExpr(m.start, m.end, surface, spec.value, None, None, "duration", "duration")
        elif isinstance(spec, Shift):
            crosses = ref is not None and ref.block != bi
            usable = ref is not None and not (crosses and undated_block == bi)
            res = _shift(spec, ref, not crosses) if ref is not None and usable else None
            if res is None:
                precision = {"week": "day", "time": "day"}.get(spec.unit, spec.unit)
                if precision not in ("day", "month", "year"):
                    precision = "day"
                tx = TimeExpr(
                    m.start, m.end, surface, None, None, None, precision, "relative", confidence=0.0
                )
            else:
                r, conf = res
                assert ref is not None
                tx = TimeExpr(
                    m.start,
                    m.end,
                    surface,
                    r.value,
                    r.earliest,
                    r.latest,
                    r.precision,
                    "relative",
                    anchor=ref.index,
                    confidence=conf,
                )
        else:
            look = ahead.get(bi)
            if (
                look is not None
                and look[0] > m.start
                and spec.needs_year
                and (ref is None or ref.block != bi)
                and len(text[m.start : look[0]]) < 400
            ):
                # Nothing dated yet in this paragraph: its own first full date, just
                # ahead, is a better anchor than the end of the paragraph before.
                tx = _resolve_date(text, m, spec, look[1], bi)
                if tx is not None and tx.anchor == -1:
                    forward[len(out)] = look[0]
                    tx = replace(tx, confidence=min(tx.confidence, 0.75))
            else:
                tx = _resolve_date(text, m, spec, ref, bi)
        if tx is None:
            continue
        out.append(tx)
        if tx.kind != "duration" and tx.earliest is None:
            undated_block = bi
        if (
            tx.earliest is not None
            and tx.latest is not None
            and tx.value is not None
            and _moves_reference(text, m, block)
            and not (block.kind != "heading" and _is_flashback(text, m, tx, ref, block))
        ):
            ref = _Ref(
                Resolved(tx.earliest, tx.latest, *_split_value(tx.value), tx.precision),
                len(out) - 1,
                bi,
                block.section,
            )
    # Anchors on a date later in the paragraph point at it once it is in the list.
    index_at = {tx.start: i for i, tx in enumerate(out)}
    for i, start in forward.items():
        out[i] = replace(out[i], anchor=index_at.get(start))
    return out


def _split_value(value: str) -> tuple[str, str]:
    a, _, b = value.partition("/")
    return a, b or a


def _resolve_date(
    text: str, m: Mention, spec: Point | Span | Dual, ref: _Ref | None, bi: int
) -> TimeExpr | None:
    surface = text[m.start : m.end]
    target: Point | Span = spec.gregorian if isinstance(spec, Dual) else spec
    kind = (
        "dual_calendar"
        if isinstance(spec, Dual)
        else "range"
        if isinstance(spec, Span)
        else ("absolute")
    )
    anchor: int | None = None
    conf = 1.0
    point = _first_point(target)
    if isinstance(target, Point) and target.year_shift is not None:
        kind = "relative"
        if ref is None:
            return TimeExpr(
                m.start,
                m.end,
                surface,
                None,
                None,
                None,
                _precision_of(point),
                kind,
                confidence=0.0,
            )
        y = date.fromordinal(ref.r.latest).year + target.year_shift
        target = Point(target.grain, y, target.month, target.day, target.part)
        anchor, conf = ref.index, (0.85 if ref.block == bi else 0.7)
    elif target.needs_year:
        if kind == "absolute":
            kind = "underspecified"
        inferred = _infer_year(target, ref) if ref is not None else None
        if inferred is None:
            if isinstance(target, Span):
                value = f"{_partial_value(target.first)}/{_partial_value(target.last)}"
            else:
                value = _partial_value(target)
            julian_partial = None
            if isinstance(spec, Dual):
                j = spec.julian
                julian_partial = (
                    f"{_partial_value(j.first)}/{_partial_value(j.last)}"
                    if isinstance(j, Span)
                    else _partial_value(j)
                )
            return TimeExpr(
                m.start,
                m.end,
                surface,
                value,
                None,
                None,
                _precision_of(point),
                kind,
                calendar="dual" if isinstance(spec, Dual) else "gregorian",
                julian=_julian_written(text, spec),
                confidence=0.0,
                julian_value=julian_partial,
            )
        assert ref is not None
        target, _r, conf = inferred
        anchor = ref.index
        if ref.block != bi:
            conf -= 0.1
    r = target.resolve()
    if r is None:
        return None
    julian_value: str | None = None
    calendar = "gregorian"
    if isinstance(spec, Dual):
        gy = _first_year(target)
        assert gy is not None
        julian_value = _julian_value(spec.julian, gy, target)
        calendar = "dual"
    return TimeExpr(
        m.start,
        m.end,
        surface,
        r.value,
        r.earliest,
        r.latest,
        r.precision,
        kind,
        calendar=calendar,
        julian=_julian_written(text, spec),
        anchor=anchor,
        confidence=round(conf, 2),
        julian_value=julian_value,
    )


def _julian_written(text: str, spec: Point | Span | Dual) -> str | None:
    if not isinstance(spec, Dual):
        return None
    a, b = spec.julian_span
    return text[a:b]

"""Numbers an account states about a happening: casualties, strengths, losses.

``up to 12,000 Azerbaijanis`` killed and ``over 10,000`` killed are two accounts
of the March Days; keeping each number with its qualifier and what it counts
lets the GUI show where sources disagree.
"""

from __future__ import annotations

import re

_WORDS = {
    "hundred": 100,
    "thousand": 1000,
    "several hundred": 300,
    "several thousand": 3000,
}

# The scan starts at digits only (a leading optional qualifier would make the regular
# expression try every position of every clause); the qualifier is read backwards.
_NUMBER = re.compile(
    r"(?<![\w,.])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s*(?:[–—-]|to|and)\s*(?P<num2>\d{1,3}(?:,\d{3})+|\d+))?"
    r"(?P<unit>\s+(?:thousand|million))?"
    r"(?P<tail>(?:\s+[A-Za-z-]+){0,3})",
)
_QUALIFIER = re.compile(
    r"\b(?:up to|over|more than|about|around|nearly|almost|approximately|some|at least|"
    r"fewer than|less than|between|estimated)\s+$",
    re.IGNORECASE,
)

_WHAT = [
    (
        "killed",
        re.compile(
            r"killed|deaths?|dead|died|victims|massacred|murdered|lives|losing|lost|casualties",
            re.I,
        ),
    ),
    ("wounded", re.compile(r"wounded|injured", re.I)),
    ("captured", re.compile(r"prisoners|captured", re.I)),
    ("refugees", re.compile(r"refugees|fled|displaced|expelled|exiled", re.I)),
    (
        "troops",
        re.compile(
            r"soldiers|troops|men\b|cavalry|infantry|fighters|strong|bayonets|sabres|strength", re.I
        ),
    ),
]


_ANY_DIGIT = re.compile(r"\d")
_DAY_BEFORE = re.compile(r"\b(?:on|of|by|until)\s*$", re.IGNORECASE)


_DIGITS = re.compile(r"(?<![\w,.])\d[\d,.]*")
_DATE_NEIGHBOUR = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


def _candidates(clause: str) -> list[re.Match[str]]:
    """Full matches only where a digit run could be a count: not a day next to a month
    name, not a bare four-digit year (cheap tests before the costly pattern)."""
    out = []
    for d in _DIGITS.finditer(clause):
        run = d.group(0).rstrip(",.")
        if len(run) <= 2 and (
            _DATE_NEIGHBOUR.match(clause, d.end() + 1)
            or _DATE_NEIGHBOUR.search(clause, max(0, d.start() - 10), d.start())
        ):
            continue
        if (
            len(run) == 4
            and run.isdigit()
            and 1800 <= int(run) <= 2100
            and not _QUALIFIER.search(clause, max(0, d.start() - 20), d.start())
        ):
            continue
        m = _NUMBER.match(clause, d.start())
        if m is not None:
            out.append(m)
    return out


def _to_int(s: str) -> int:
    return int(float(s.replace(",", "")))


def find_numbers(clause: str) -> list[dict[str, object]]:
    """Counts of people stated in a clause (not years, days or regiment numbers)."""
    out: list[dict[str, object]] = []
    if not _ANY_DIGIT.search(clause):
        return out
    for m in _candidates(clause):
        num = m.group("num")
        qm = _QUALIFIER.search(clause, max(0, m.start() - 20), m.start())
        qual_start = qm.start() if qm is not None else m.start()
        qual = qm.group(0).strip().lower() if qm is not None else ""
        value = _to_int(num)
        after = clause[m.end("num") : m.end("num") + 2]
        if after[:2] in ("th", "st", "nd", "rd") or after[:1] in ("%", "-"):
            continue
        if 1800 <= value <= 2100 and "," not in num and not qual:
            continue  # a year
        if value < 5 and m.group("unit") is None:
            continue
        before = clause[max(0, m.start() - 6) : m.start()]
        if "[" in before[-1:] or (_DAY_BEFORE.search(before) and value <= 31):
            continue  # a reference marker or a day of the month
        if m.group("unit"):
            value *= 1000 if "thousand" in m.group("unit") else 1_000_000
        tail = m.group("tail") or ""
        window = clause[max(0, m.start() - 40) : m.end() + 25]
        what = None
        for label, pat in _WHAT:
            if pat.search(tail) or (label in ("killed", "wounded") and pat.search(window)):
                what = label
                break
        if what is None:
            words = tail.split()
            if not words or (
                not words[0][:1].isupper()
                and words[0].lower()
                not in (
                    "people",
                    "civilians",
                    "inhabitants",
                    "residents",
                )
            ):
                continue
            what = words[0].lower()
        text = clause[qual_start : m.end("num2") if m.group("num2") else m.end("num")]
        if m.group("unit"):
            text = clause[qual_start : m.end("unit")]
        item: dict[str, object] = {"text": text.strip(), "value": value, "what": what}
        if m.group("num2"):
            item["high"] = _to_int(m.group("num2"))
        if qual:
            item["qualifier"] = qual
        out.append(item)
    return out

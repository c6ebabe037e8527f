"""From dated clauses to event candidates.

A candidate is one clause of one passage that narrates a happening at a point
in time: the clause's date (from the temporal tagger), kind (from its verbs and
nouns), participants (from the entity mentions inside it), the numbers it
states, and a short title. Merging candidates into events is ``merge.py``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.events.lexicon import classify
from db.events.numbers import find_numbers
from db.events.titles import focus_start, make_title

#: Precisions fine enough to place a happening on a timeline.
EVENT_PRECISIONS = frozenset({"day", "part_of_month", "month", "season", "year"})


@dataclass(slots=True)
class DateRef:
    """A time expression as the event stage needs it (from the time_expression table)."""

    id: int | None
    start: int
    end: int
    text: str
    value: str
    earliest: int
    latest: int
    precision: str
    kind: str
    julian: str | None
    confidence: float
    inferred: bool
    anchor_text: str | None


@dataclass(slots=True)
class MentionRef:
    entity_id: str
    entity_type: str
    start: int
    end: int
    as_participant: bool


@dataclass(slots=True)
class PassageData:
    id: int
    source_id: str
    section_id: int
    paragraph_id: int
    kind: str
    start: int
    end: int
    text: str
    dates: list[DateRef] = field(default_factory=list)
    mentions: list[MentionRef] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    source_id: str
    passage_id: int
    start: int  # clause offsets into the source's normalized text
    end: int
    text: str  # the clause
    date: DateRef
    kind: str
    title: str
    participants: list[tuple[str, str]]  # (entity id, role)
    numbers: list[dict[str, object]]
    tokens: frozenset[str]  # content words, for merging
    order: int = 0  # position in the build, for deterministic tie-breaks
    heading: bool = False  # from a section heading: evidence for an event, never one alone
    paragraph_id: int = 0
    trigger: int = -1  # offset of the kind's trigger word in the clause (-1: none)


# Where one dated clause ends and the next begins, looking back from the next date.
_CLAUSE_BREAK = re.compile(
    r"(?:;|,\s*(?:and|but|then|while|whereas)?|\band\b|\bbut\b|\bwhile\b|\bthen\b)\s*$"
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "but",
        "as",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
        "during",
        "while",
        "which",
        "who",
        "whom",
        "whose",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "them",
        "he",
        "she",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "had",
        "has",
        "have",
        "did",
        "does",
        "not",
        "no",
        "nor",
        "so",
        "than",
        "then",
        "there",
        "here",
        "also",
        "only",
        "very",
        "all",
        "any",
        "some",
        "several",
        "many",
        "most",
        "more",
        "other",
        "such",
        "same",
        "one",
        "two",
        "three",
        "first",
        "second",
        "next",
        "day",
        "days",
        "later",
        "earlier",
        "following",
        "until",
        "till",
        "since",
        "between",
        "among",
        "upon",
        "about",
        "up",
        "down",
        "out",
        "off",
        "forces",
        "force",
        "troops",
        "army",
        "armies",
        "government",
    ]
)
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")

#: A year-precision date is an event date only when the clause narrates at it
#: ("in 1918 a republic was declared"), not when the year qualifies a noun
#: ("the 1870 reform", "the 1897 census").
_YEAR_AS_TIME = re.compile(
    r"(?:\b(?:in|by|during|since|until|till|from|of|early|late|mid|summer|spring|autumn|winter|end)\s+(?:the\s+)?(?:\w+\s+)?$)",
    re.IGNORECASE,
)
_ADJECTIVAL_YEAR = re.compile(r"^\s+(?:[a-z]+|[A-Z][a-z]+ (?:massacre|reform|census|border|war))\b")


_STEMS: dict[str, str | None] = {}  # word → stem, or None for a stop word (a vocabulary cache)


def _stem(w: str) -> str | None:
    lw = w.lower().strip("'’-").replace("-", "")
    if len(lw) < 3 or lw in _STOP or lw in _MONTHS:
        return None
    for suffix in ("'s", "’s", "ing", "ed", "es", "s"):
        if lw.endswith(suffix) and len(lw) - len(suffix) >= 4:
            return lw[: -len(suffix)]
    return lw


def content_tokens(text: str) -> frozenset[str]:
    """Lower-cased content words with a crude stem, for comparing accounts."""
    out = set()
    stems = _STEMS
    for w in _WORD.findall(text):
        st = stems.get(w, "")
        if st == "":
            st = stems[w] = _stem(w)
            if len(stems) > 200_000:
                stems.clear()
        if st is not None:
            out.add(st)
    return frozenset(out)


_IN_BY_DURING = re.compile(r"\b(?:in|by|during)\s*$")
_NOUN_OF = re.compile(r"\b(\w+)\s+of\s*$")
_BREAKS = re.compile(r";|,|\band\b|\bbut\b|\bwhile\b|\bthen\b")
_COMMANDED = re.compile(
    r"(?:led by|under the (?:command|leadership) of|commanded by|headed by|under)\s+(?:\w+\.?\s+){0,3}$"
)
_BY_AGENT = re.compile(r"\bby\s+(?:the\s+)?(?:\w+\s+){0,2}$")
_BY_TIME = re.compile(r"\bby (?:the )?(?:end|beginning|middle|time)\b")

_TIME_NOUNS = frozenset(
    [
        "summer",
        "spring",
        "autumn",
        "fall",
        "winter",
        "end",
        "beginning",
        "middle",
        "start",
        "half",
        "part",
        "course",
    ]
)


_BOUND = re.compile(
    r"\b(?:since|until|till|up to|dates? back to)\s+(?:(?:the\s+)?(?:early|late|end|beginning|middle|"
    r"spring|summer|autumn|winter|fall|first|second|half|of|\s)+)?(?:\d{4}|[A-Z][a-z]+)",
    re.IGNORECASE,
)


def _is_event_date(d: DateRef, passage: PassageData) -> bool:
    if d.precision not in EVENT_PRECISIONS or d.earliest is None:
        return False
    if d.kind == "duration":
        return False
    if d.precision in ("year", "season", "month") or d.latest - d.earliest > 31:
        # "since 1918", "until the end of 1918", "until the late spring of 1920": the
        # bound of a state of affairs, not when something happened.
        rel = d.start - passage.start
        if _BOUND.search(passage.text[max(0, rel - 40) : rel] + d.text[:20]):
            return False
    if d.precision == "year":
        rel = d.start - passage.start
        before = passage.text[max(0, rel - 30) : rel]
        after = passage.text[d.end - passage.start : d.end - passage.start + 20]
        if not _YEAR_AS_TIME.search(before) and not d.text[:1].isalpha():
            return False
        if _ADJECTIVAL_YEAR.match(after) and not _IN_BY_DURING.search(before):
            return False
        # "the borders of 1914", "the events of 1905": a year qualifying a noun.
        m = _NOUN_OF.search(before)
        if m is not None and m.group(1).lower() not in _TIME_NOUNS:
            return False
    return True


# A finite verb: a past-tense form or a common irregular one (not an adjective like "armed").
_FINITE = re.compile(
    r"\b(?:was|were|had|has|is|are|took|began|fell|rose|broke|fought|sent|met|left|led|held|"
    r"gave|came|went|made|drove|withdrew|won|became|lost|brought|struck|swept|ran|"
    r"[a-z]{3,}(?:ed|ied))\b(?<!\barmed)(?<!\bunited)(?<!\bnamed)(?<!\bbased)(?<!\bdated)"
)


def _clauses(passage: PassageData, dates: list[DateRef]) -> list[tuple[int, int, DateRef]]:
    """Split a passage into one span per date: each date owns the text up to the next one."""
    spans: list[tuple[int, int, DateRef]] = []
    text, base = passage.text, passage.start
    cut = base
    for i, d in enumerate(dates):
        if i + 1 < len(dates):
            nxt = dates[i + 1]
            between = text[d.end - base : nxt.start - base]
            # Look back from the next date for a clause break; the next clause starts there.
            best = -1
            for m in _BREAKS.finditer(between):
                # A break right after the date ("By March 24, ...") opens its clause's body.
                if len(between[: m.start()].split()) >= 2:
                    best = m.start()
            end = d.end + best if best >= 0 else nxt.start
            # Back off further to the start of the sentence-initial phrase of the next clause.
            spans.append((cut, end, d))
            cut = end
        else:
            spans.append((cut, passage.end, d))
    # A span without a verb of its own ("On 28 November, blaming Armenia for the
    # invasions of ... on 20 November") is the lead-in of the next one: the two are one
    # clause, dated by the first date (the fronted one).
    merged: list[tuple[int, int, DateRef]] = []
    for span in spans:
        if merged and not _FINITE.search(text[merged[-1][0] - base : merged[-1][1] - base]):
            s0, _e0, d0 = merged[-1]
            merged[-1] = (s0, span[1], d0)
        else:
            merged.append(span)
    return merged


def participant_roles(
    clause: str, base: int, mentions: list[MentionRef], trigger: int
) -> list[tuple[str, str]]:
    out: dict[str, str] = {}
    for m in mentions:
        if not m.as_participant and m.entity_type != "place":
            continue
        rel = m.start - base
        before = clause[max(0, rel - 40) : rel].lower()
        if m.entity_type == "place":
            role = "place"
        elif m.entity_type == "person" and _COMMANDED.search(before):
            role = "commander"
        elif _BY_AGENT.search(before) and not _BY_TIME.search(before):
            role = "agent"
        elif trigger >= 0:
            role = "agent" if rel < trigger else "target"
        else:
            role = "participant"
        prev = out.get(m.entity_id)
        if prev is None or (prev in ("participant", "target") and role in ("agent", "commander")):
            out[m.entity_id] = role
    return sorted(out.items())


def extract_candidates(passage: PassageData) -> list[Candidate]:
    """Every dated happening the passage narrates, one candidate per dated clause."""
    out = draft_candidates(passage)
    for c in out:
        c.participants = clause_participants(c, passage.mentions)
    return out


def clause_participants(c: Candidate, mentions: list[MentionRef]) -> list[tuple[str, str]]:
    """The candidate's participants and their roles, from the passage's mentions (by start)."""
    inside = [m for m in mentions if c.start <= m.start and m.end <= c.end]
    participants = participant_roles(c.text, c.start, inside, c.trigger)
    if c.kind in ("treaty", "ceasefire", "negotiation"):
        # The parties to an agreement are neither its agent nor its target.
        participants = [
            (e, "participant" if r in ("agent", "target") else r) for e, r in participants
        ]
    return participants


def draft_candidates(passage: PassageData) -> list[Candidate]:
    """The candidates of :func:`extract_candidates` without their participants.

    Everything here depends on the passage alone, so the build drafts each document's
    candidates in a worker process; the participants need the corpus-wide entities
    (:func:`clause_participants`, in the main process).
    """
    if passage.kind not in ("sentence", "list_item", "caption", "heading"):
        return []
    dates = [d for d in passage.dates if _is_event_date(d, passage)]
    if not dates:
        return []
    # Two expressions for one point ("On 5 April ... that day") in one clause: keep the first.
    out: list[Candidate] = []
    prev_kind: str | None = None
    prev_clause = ""
    for start, end, d in _clauses(passage, dates):
        clause = passage.text[start - passage.start : end - passage.start]
        stripped = clause.strip(" ,;")
        if not stripped:
            continue
        lead = len(clause) - len(clause.lstrip(" ,;"))
        start += lead
        end = start + len(stripped)
        clause = stripped
        focus = focus_start(clause, d.start - start, d.end - start)
        kind, trigger = classify(clause[focus:]) if focus else ("other", -1)
        if kind == "other":
            kind, trigger = classify(clause)
        else:
            trigger += focus  # "... proved inconclusive, and on May 15, the army launched"
        if kind == "other" and prev_kind is not None and len(clause) < 60:
            # An elliptical clause ("and on October 30, Kars") continues the previous one.
            kind, _ = classify(prev_clause)
        if passage.kind == "heading" and kind == "other":
            continue
        if kind == "other" and d.precision == "year":
            continue  # a bare year with nothing happening is background
        title = make_title(clause, d.start - start, d.end - start, kind, prev_clause)
        if title is None:
            continue
        out.append(
            Candidate(
                source_id=passage.source_id,
                passage_id=passage.id,
                start=start,
                end=end,
                text=clause,
                date=d,
                kind=kind,
                title=title,
                participants=[],
                numbers=find_numbers(clause),
                tokens=content_tokens(clause),
                heading=passage.kind == "heading",
                paragraph_id=passage.paragraph_id,
                trigger=trigger,
            )
        )
        prev_kind, prev_clause = kind, clause
    return out


__all__ = [
    "EVENT_PRECISIONS",
    "Candidate",
    "DateRef",
    "MentionRef",
    "PassageData",
    "clause_participants",
    "content_tokens",
    "draft_candidates",
    "extract_candidates",
    "participant_roles",
]
_ = _CLAUSE_BREAK

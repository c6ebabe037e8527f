"""Segmentation of normalized text into sections, paragraphs and sentences, with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Tokens after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "Gen",
        "Gens",
        "Dr",
        "Lt",
        "Col",
        "Capt",
        "Maj",
        "Sgt",
        "St",
        "Mr",
        "Mrs",
        "Ms",
        "Prof",
        "Rev",
        "Jr",
        "Sr",
        "No",
        "Nos",
        "Vol",
        "vol",
        "pp",
        "cf",
        "Mt",
        "Ft",
        "Adm",
        "Gov",
        "Pres",
        "Sen",
        "Rep",
        "Brig",
        "Cmdr",
        "Lieut",
        "Comdr",
        "Hon",
        "Sen",
        "Messrs",
        "Sts",
        "Fr",
        "Br",
        "Bros",
        "Corp",
        "Inc",
        "Ltd",
        "approx",
        "ca",
        "c",
        "e.g",
        "i.e",
        "vs",
        "etc",
        "al",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Ed",
        "Eds",
        "ed",
        "eds",
        "trans",
        "Iu",
        "Ia",
        "Zh",
        "Kh",
        "Ts",
        "Ch",
        "Sh",
    ]
)
_ABBREV_NO_END = frozenset({"e.g", "i.e", "cf", "vs", "ca", "c", "approx", "al"})

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"([.!?]+)([\"”’'\)\]]*)(\s+)")
_OPENERS = "\"“‘'(["


@dataclass
class Sentence:
    start: int
    end: int


def _token_before(text: str, pos: int) -> str:
    """The word (with inner dots) ending right before position pos."""
    m = re.search(r"([A-Za-z][A-Za-z.]*)\Z", text[max(0, pos - 40) : pos])
    return m.group(1) if m else ""


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Split text[start:end] into sentences; never on initials, titles or inside quotations."""
    end = len(text) if end is None else end
    out: list[Sentence] = []
    sent_start = start
    # Skip leading whitespace.
    while sent_start < end and text[sent_start].isspace():
        sent_start += 1
    curly = 0  # open “ minus closing ” since the sentence started
    straight = 0  # straight double quotes since the sentence started
    pos = sent_start
    for m in _BOUNDARY.finditer(text, sent_start, end):
        segment = text[pos : m.end(2)]
        curly += segment.count("“") - segment.count("”")
        straight += segment.count('"')
        pos = m.end(2)
        nxt = m.end()
        if nxt >= end:
            break
        follower = text[nxt]
        if not (follower.isupper() or follower.isdigit() or follower in _OPENERS):
            continue
        punct = m.group(1)
        if punct == ".":
            tok = _token_before(text, m.start())
            bare = tok.rstrip(".")
            last = bare.rsplit(".", 1)[-1]
            if len(last) == 1 and last.isupper() and not text.endswith("War I", 0, m.start()):
                continue  # an initial: A.B. Shirokorad, M. A. Przhevalsky
            if (last in ABBREVIATIONS or bare in ABBREVIATIONS) and (
                last in _ABBREV_NO_END or follower.isupper()
            ):
                continue
            if "." in bare and all(len(p) <= 2 for p in bare.split(".")):
                continue  # dotted abbreviations: U.S., e.g.
        if curly > 0 or straight % 2 == 1:
            continue  # inside a quotation
        sent_end = m.end(2)
        out.append(Sentence(sent_start, sent_end))
        sent_start = m.end()
        pos = sent_start
        curly = straight = 0
    tail_end = end
    while tail_end > sent_start and text[tail_end - 1].isspace():
        tail_end -= 1
    if tail_end > sent_start:
        out.append(Sentence(sent_start, tail_end))
    return out


@dataclass
class Para:
    start: int
    end: int
    kind: str  # text, heading, caption, infobox, bibliography, list_item, byline
    level: int = 0
    title: str = ""
    sentences: list[Sentence] = field(default_factory=list)


def split_paragraphs(text: str, line_breaks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Paragraph spans: a blank-line separated block of hard-wrapped lines is one paragraph,
    otherwise every line is one (one-line-per-paragraph exports). Lines starting at an
    offset in ``line_breaks`` (headings, captions, list items) always stand alone."""
    spans: list[tuple[int, int]] = []
    for block in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|\Z))+", text):
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", block.group())]
        lengths = [e - s for s, e in lines]
        hard_wrapped = (
            len(lines) > 1
            and all(40 <= ln <= 100 for ln in lengths[:-1])
            and lengths[-1] <= 100
            and not any(block.start() + s in line_breaks for s, _e in lines)
        )
        if hard_wrapped:
            s0, e0 = lines[0][0], lines[-1][1]
            spans.append((block.start() + s0, block.start() + e0))
        else:
            for s, e in lines:
                # trim surrounding whitespace
                seg = block.group()[s:e]
                lead = len(seg) - len(seg.lstrip())
                trail = len(seg) - len(seg.rstrip())
                spans.append((block.start() + s + lead, block.start() + e - trail))
    return spans

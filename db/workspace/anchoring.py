"""W3C Web Annotation text anchors: TextQuoteSelector (exact + prefix/suffix) and
TextPositionSelector (start/end), and re-anchoring them after the text changed.

A selector is stored as one dict ``{"source", "exact", "prefix", "suffix", "start",
"end"}``; offsets are Python string offsets into the source's normalized text.
Re-anchoring trusts the position when the quote is still there, otherwise looks
for the quote elsewhere and picks the occurrence whose prefix/suffix agree best
(nearest the old position on a tie). A quote that is gone is *orphaned*: the
annotation is kept and listed, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CONTEXT = 32


def make_selector(source_id: str, text: str, start: int, end: int) -> dict[str, Any]:
    """The selector for ``text[start:end]`` of a source."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"selection {start}-{end} is outside the text (length {len(text)})")
    return {
        "source": source_id,
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
        "start": start,
        "end": end,
    }


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    state: str  # anchored (unchanged) | moved | orphaned


def reanchor(text: str | None, selector: dict[str, Any]) -> Anchor:
    """Where a selector points in ``text`` now (``text`` None: the source is gone)."""
    start, end = int(selector["start"]), int(selector["end"])
    exact = str(selector["exact"])
    if text is None or not exact:
        return Anchor(start, end, "orphaned")
    if text[start:end] == exact:
        return Anchor(start, end, "anchored")
    prefix, suffix = str(selector.get("prefix", "")), str(selector.get("suffix", ""))
    best: tuple[int, int, int] | None = None  # (-context score, distance, position)
    pos = text.find(exact)
    while pos != -1:
        score = _common_suffix(text[max(0, pos - len(prefix)) : pos], prefix) + _common_prefix(
            text[pos + len(exact) : pos + len(exact) + len(suffix)], suffix
        )
        cand = (-score, abs(pos - start), pos)
        if best is None or cand < best:
            best = cand
        pos = text.find(exact, pos + 1)
    if best is None:
        return Anchor(start, end, "orphaned")
    return Anchor(best[2], best[2] + len(exact), "moved")

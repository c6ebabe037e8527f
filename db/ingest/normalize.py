"""Character repairs: mojibake (via ftfy) and the stripped characters of ASCII-only exports.

Each repair is proposed as an :class:`~db.ingest.edits.Edit` on the original
text so it can be recorded and undone for display.
"""

from __future__ import annotations

import re
from collections import Counter

import ftfy

from db.ingest.edits import Edit

# Runs of characters that can be mojibake: every byte of a UTF-8 multibyte
# sequence read as cp1252 becomes a non-ASCII character.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# A run ftfy could not fix because a byte undefined in cp1252 (0x81, 0x8d, 0x8f,
# 0x90, 0x9d) was lost on the way: Ə (C6 8F) → "Æ", Ş (C5 9E) → "Å" before "ə".
_LOST_BYTE = {"Æ": "Ə", "Å": "Ş"}


def mojibake_edits(text: str) -> list[Edit]:
    """Edits repairing UTF-8-read-as-cp1252 mojibake, one per affected run."""
    edits: list[Edit] = []
    runs = list(_NON_ASCII_RUN.finditer(text))
    fixed_any_at: set[int] = set()
    pending: list[tuple[int, int, str]] = []
    for run in runs:
        s = run.group()
        fixed = ftfy.fix_encoding(s)
        if fixed == s and len(s) >= 2:
            # ftfy declines some short runs ("É™" for "ə"); a run that decodes
            # strictly as UTF-8 once re-encoded as cp1252 is mojibake all the same.
            try:
                candidate = s.encode("cp1252").decode("utf-8")
            except UnicodeError:
                candidate = s
            if len(candidate) < len(s):
                fixed = candidate
            elif s[0] in _LOST_BYTE and len(s) >= 3:
                # "ÅÉ™" = Ş (lost byte) + ə: repair the tail, then the lost byte.
                try:
                    tail = s[1:].encode("cp1252").decode("utf-8")
                except UnicodeError:
                    tail = s[1:]
                if len(tail) < len(s) - 1:
                    fixed = _LOST_BYTE[s[0]] + tail
        if fixed != s:
            edits.append(Edit(run.start(), run.end(), fixed, "mojibake"))
            fixed_any_at.add(run.start())
        elif s in _LOST_BYTE:
            pending.append((run.start(), run.end(), s))
    # A lone "Æ"/"Å" is repaired only inside a word that had other mojibake.
    for start, end, s in pending:
        head_m = re.search(r"\S*\Z", text[max(0, start - 100) : start])
        word_start = start - (len(head_m.group()) if head_m else 0)
        tail_m = re.match(r"\S*", text[end : end + 100])
        word_end = end + (len(tail_m.group()) if tail_m else 0)
        if any(word_start <= p < word_end for p in fixed_any_at):
            edits.append(Edit(start, end, _LOST_BYTE[s], "mojibake_lost_byte"))
    return edits


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Each pattern starts with a lookahead for the one character class a match can begin
# with: the regex engine then skips other positions at once instead of testing the
# word boundary or lookbehind and the alternatives there (same matches, fewer steps).
_GLUED_YEARS = re.compile(r"(?=1)(?<![\d,.])(1[0-9]{3})(1[0-9]{3})(?![\d,])")
_GLUED_NAME = re.compile(r"(?=[A-Z])\b[A-Z][a-z]{2,}(?:[A-Z][a-z]{2,})+\b")
_NAME_PART = re.compile(r"[A-Z][a-z]+")
_MONTH_DIGITS = re.compile(rf"(?=[A-Z])\b(?:{_MONTHS})\.? (\d{{3,4}})\b(?!,\d)")
_DIGITS_MONTH = re.compile(rf"(?=\d)(?<![\d,.])(\d{{3,4}}) (?:{_MONTHS})\b")  # "2728 April"
_PAREN_DIGITS = re.compile(r"\((\d{3,4})\)")
_KNOWN_CAMEL = {"McCarthy", "MacDonald", "McDonald", "DeGaulle", "LaGuardia", "McKinley"}
_CAMEL_PREFIXES = (
    "Mc",
    "Mac",
    "De",
    "Di",
    "Da",
    "La",
    "Le",
    "Van",
    "Von",
    "Al",
    "El",
    "Ibn",
    "Ben",
    "Fitz",
    "Az",
)


def looks_ascii_stripped(text: str) -> bool:
    """True for a document whose non-ASCII characters were stripped (dashes gone, years glued)."""
    if not text.isascii():
        return False
    return len(_GLUED_YEARS.findall(text)) >= 2 or len(_GLUED_NAME.findall(text)) >= 3


def split_glued_days(digits: str) -> tuple[int, int] | None:
    """Split a glued day range ('2225' → 22, 25; '912' → 9, 12) if exactly one split is valid."""
    found = []
    for cut in range(1, len(digits)):
        a, b = digits[:cut], digits[cut:]
        if a.startswith("0") or b.startswith("0"):
            continue
        x, y = int(a), int(b)
        if 1 <= x < y <= 31:
            found.append((x, y))
    return found[0] if len(found) == 1 else None


def _era(text: str) -> tuple[int, int]:
    """The span of years a document is about: the 5th to 95th percentile of its year-like numbers."""
    years = sorted(int(y) for y in re.findall(r"(?<![\d,])(1[0-9]{3}|20[0-9]{2})(?![\d,])", text))
    if not years:
        return (1000, 2100)
    lo = years[len(years) * 5 // 100]
    hi = years[min(len(years) - 1, len(years) * 95 // 100)]
    return lo, hi


def stripped_char_edits(text: str) -> list[Edit]:
    """Edits restoring dashes lost from an ASCII-stripped export (document 002)."""
    edits: list[Edit] = []
    for m in _GLUED_YEARS.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 100:
            edits.append(Edit(m.end(1), m.end(1), "–", "stripped_dash"))
    lo, hi = _era(text)
    for m in _MONTH_DIGITS.finditer(text):
        digits = m.group(1)
        if len(digits) == 4 and lo - 30 <= int(digits) <= hi + 30:
            continue  # a year
        split = split_glued_days(digits)
        if split:
            cut = m.start(1) + len(str(split[0]))
            edits.append(Edit(cut, cut, "–", "stripped_dash"))
            # The Julian pair in parentheses right after: "January 2225 (912)".
            after = _PAREN_DIGITS.match(text, m.end(1) + 1)
            if after:
                psplit = split_glued_days(after.group(1))
                if psplit:
                    pcut = after.start(1) + len(str(psplit[0]))
                    edits.append(Edit(pcut, pcut, "–", "stripped_dash"))
    for m in _DIGITS_MONTH.finditer(text):
        digits = m.group(1)
        if len(digits) == 4 and lo - 30 <= int(digits) <= hi + 30:
            continue  # "1918 March" is a year
        split = split_glued_days(digits)
        if split:
            cut = m.start(1) + len(str(split[0]))
            edits.append(Edit(cut, cut, "–", "stripped_dash"))
    for m in _GLUED_NAME.finditer(text):
        word = m.group()
        parts = list(_NAME_PART.finditer(word))
        # Real names with an inner capital: McCarthy, MacDonald, AzRevKom.
        if word in _KNOWN_CAMEL or (
            word.startswith(_CAMEL_PREFIXES) and len(parts[0].group()) <= 4
        ):
            continue
        for p in parts[1:]:
            pos = m.start() + p.start()
            edits.append(Edit(pos, pos, "–", "stripped_dash"))
    edits.extend(_em_dash_edits(text))
    return edits


# Real compounds such as "Southwestern" or "Northeastern" are not glued words.
_COMPOUND_PREFIXES = (
    "South",
    "North",
    "East",
    "West",
    "Trans",
    "Anti",
    "Over",
    "Under",
    "Counter",
    "Inter",
    "Post",
    "Semi",
    "Super",
)


# Word endings that make a real word of a name (Karabakhis, Bolsheviks), never a glued word.
_SUFFIX_WORDS = frozenset(
    "is es s ans ian ians er ers ed ite ites ic al ly ese ism ist ists ov ova ev eva yan li lu i a"
    " ship hood dom ness ment".split()
)
# Words so common that a name glued to one is recognisable even when the name occurs once.
# ("and", "in", "had" are left out: names end in them — Ireland, Lachin, Bargushad.)
_GLUE_WORDS = frozenset("the was were who which that until agreed".split())


def _em_dash_edits(text: str) -> list[Edit]:
    """'Christiansmostly Armeniansto' → 'Christians—mostly Armenians—to', where the corpus vouches.

    A token is split only when it occurs once, its left part is a name the
    text uses on its own (capitalised mid-sentence twice, or an acronym, or a
    name used at least once when the right part is a common word), and its
    right part is a lowercase word the text uses on its own.
    """
    tokens = re.findall(r"[A-Za-z]+", text)
    counts = Counter(tokens)
    mid_caps = Counter(m.group(1) for m in re.finditer(r"[a-z,] ([A-Z][A-Za-z]+)\b", text))
    edits: list[Edit] = []
    for m in re.finditer(r"\b([A-Z][a-z]{3,}|[A-Z]{2,})([a-z]{2,})\b", text):
        word = m.group()
        if counts[word] > 1 or word.startswith(_COMPOUND_PREFIXES):
            continue
        best = None
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if not right.islower() or right in _SUFFIX_WORDS or counts[right] < 1:
                continue
            named = mid_caps[left] >= 2 or (left.isupper() and counts[left] >= 1)
            glued = (
                right in _GLUE_WORDS and counts[right] >= 5 and (len(left) >= 4 or left.isupper())
            )
            if named or glued:
                best = cut
        if best is not None:
            pos = m.start() + best
            edits.append(Edit(pos, pos, "—", "stripped_dash"))
    return edits

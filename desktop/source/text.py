"""Documents for the text view: plain text only, cached per source and reading mode.

Offsets in the database are Python string offsets into the normalized text;
Qt positions count UTF-16 units, so characters outside the BMP shift them.
:class:`Positions` converts both ways.
"""

from __future__ import annotations

import bisect
import re

from PySide6.QtGui import QFont, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout

from db.query import SourceText


class Positions:
    """Python string offsets ↔ Qt document positions (identity for BMP-only text)."""

    def __init__(self, text: str) -> None:
        # Fast paths in C: ASCII, or UTF-16 the same length as the str (BMP only).
        if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
            self._astral: list[int] = []
            self._astral_qt: list[int] = []
        else:
            self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
            self._astral_qt = [a + k + 1 for k, a in enumerate(self._astral)]

    def to_qt(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset) if self._astral else offset

    def from_qt(self, pos: int) -> int:
        return pos - bisect.bisect_right(self._astral_qt, pos - 1) if self._astral else pos


#: Paragraphs longer than this are shown in pieces (see :func:`display_text`).
LONG_PARAGRAPH = 20_000
#: Length of those pieces: Qt lays out a whole paragraph to show any line of it, so
#: the view lays out at least about a screenful plus a piece (2,000 characters cost
#: ~0.8 ms each; 1,000 saved ~1 ms per selection at 100,000 events).
PIECE = 1_000
_SENTENCE_GAP = re.compile(r"(?<=[.!?]) (?=\S)")


def display_text(text: str) -> str:
    """The text as the view shows it: same length, same offsets, plain.

    A lone CR would be a line break of a different length in Qt, so it becomes a
    space. A paragraph of tens of thousands of characters (generated or badly
    converted documents) would be laid out as one block on every cursor move,
    so every ``PIECE`` (~1,000) characters one sentence-ending space becomes a line break.
    Both keep every offset where it was.
    """
    text = text.replace("\r", " ")
    if len(text) <= LONG_PARAGRAPH or all(len(p) <= LONG_PARAGRAPH for p in text.split("\n")):
        return text
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    last_break = 0
    # The first sentence gap at least PIECE characters after the last line break; the
    # search starts there rather than visiting every gap (a 1.6 MB text: 26 -> 4 ms).
    while (m := _SENTENCE_GAP.search(text, last_break + PIECE)) is not None:
        i = m.start()
        nl = text.rfind("\n", last_break, i)
        if nl >= 0:
            last_break = nl
            if i - last_break < PIECE:
                continue
        pieces.append(text[done:i])
        pieces.append("\n")
        done = i + 1
        last_break = i
    pieces.append(text[done:])
    return "".join(pieces)


class TextDoc:
    """One displayed text (original or repaired) of a source, laid out once and reused."""

    def __init__(self, source: SourceText, original: bool, font: QFont) -> None:
        self.source_id = source.id
        self.original = original
        text = source.original if original else source.normalized
        self.positions = Positions(text)
        self.offsets = source.offsets
        self.length = len(text)
        self.document = QTextDocument()
        self.document.setDocumentLayout(QPlainTextDocumentLayout(self.document))
        self.document.setDefaultFont(font)
        opt = QTextOption()
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document.setDefaultTextOption(opt)
        self.document.setDocumentMargin(12)
        # setPlainText never interprets markup.
        self.document.setPlainText(display_text(text))
        self.document.setModified(False)
        self.document.setUndoRedoEnabled(False)

    def to_qt(self, norm_offset: int, *, end: bool = False) -> int:
        """A normalized-text offset as a position in this document."""
        off = self.offsets.to_original(norm_offset, end=end) if self.original else norm_offset
        return self.positions.to_qt(min(max(off, 0), self.length))

    def from_qt(self, pos: int) -> int:
        """A position in this document as a normalized-text offset."""
        off = self.positions.from_qt(pos)
        return self.offsets.to_normalized(off) if self.original else off

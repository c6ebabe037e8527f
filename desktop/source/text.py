"""Documents for the text view: plain text only, cached per source and reading mode.

Offsets in the database are Python string offsets into the normalized text;
Qt positions count UTF-16 units, so characters outside the BMP shift them.
:class:`Positions` converts both ways.
"""

from __future__ import annotations

import bisect

from PySide6.QtGui import QFont, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout

from db.query import SourceText


class Positions:
    """Python string offsets ↔ Qt document positions (identity for BMP-only text)."""

    def __init__(self, text: str) -> None:
        if not text or max(text) <= "\uffff":
            self._astral: list[int] = []
            self._astral_qt: list[int] = []
        else:
            self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
            self._astral_qt = [a + k + 1 for k, a in enumerate(self._astral)]

    def to_qt(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset) if self._astral else offset

    def from_qt(self, pos: int) -> int:
        return pos - bisect.bisect_right(self._astral_qt, pos - 1) if self._astral else pos


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
        # setPlainText never interprets markup; a lone CR would be a line break of a
        # different length in Qt, so it becomes a space (same offsets).
        self.document.setPlainText(text.replace("\r", " "))
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

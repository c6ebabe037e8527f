"""Turning a text view's selection into ``(source_id, start, end)`` in normalized offsets."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QPlainTextEdit

TextSelection = tuple[str, int, int]


def _python_offsets(text: str) -> Callable[[int], int]:
    """Qt positions count UTF-16 units; Python offsets count code points."""
    astral = [i + k + 1 for k, i in enumerate(i for i, ch in enumerate(text) if ord(ch) > 0xFFFF)]
    if not astral:
        return lambda pos: pos
    return lambda pos: pos - bisect.bisect_right(astral, pos - 1)


class TextSelectionTracker(QObject):
    """Follows a QPlainTextEdit's selection and announces it as a text selection.

    ``source_id`` gives the source the view shows; ``to_offset`` maps a Qt
    document position to a normalized-text offset (default: the view shows the
    normalized text itself). Emits None when nothing is selected.
    """

    textSelectionChanged = Signal(object)  # (source_id, start, end) | None

    def __init__(
        self,
        view: QPlainTextEdit,
        source_id: Callable[[], str | None],
        to_offset: Callable[[int], int] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or view)
        self._view = view
        self._source_id = source_id
        self._to_offset = to_offset
        self._last: TextSelection | None = None
        view.selectionChanged.connect(self._on_view_selection_changed)

    def selection(self) -> TextSelection | None:
        cursor = self._view.textCursor()
        sid = self._source_id()
        if sid is None or not cursor.hasSelection():
            return None
        mapper = self._to_offset or _python_offsets(self._view.toPlainText())
        start, end = mapper(cursor.selectionStart()), mapper(cursor.selectionEnd())
        return (sid, start, end) if end > start else None

    @Slot()
    def _on_view_selection_changed(self) -> None:
        current = self.selection()
        if current != self._last:
            self._last = current
            self.textSelectionChanged.emit(current)

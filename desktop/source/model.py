"""Item models of the source pane: the document chooser and the section outline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from db.query import SectionRow, SourceInfo
from desktop.roles import ID_ROLE, OFFSET_ROLE

Index = QModelIndex | QPersistentModelIndex


def catalogue_entry(s: SourceInfo) -> str:
    """A source's catalogue entry as plain text lines."""
    lines = [s.title]
    meta = ", ".join(x for x in (s.author, s.kind, s.language) if x)
    if meta:
        lines.append(meta)
    if s.perspective:
        lines.append(f"Point of view: {s.perspective}")
    if s.repair_count:
        lines.append(f"{s.repair_count} repairs made to the text as read")
    return "\n".join(lines)


class SourceListModel(QAbstractListModel):
    """The sources, in catalogue order; sources outside an active source filter are disabled."""

    def __init__(self, sources: list[SourceInfo], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = list(sources)
        self._allowed: frozenset[str] = frozenset()

    def set_allowed(self, ids: frozenset[str]) -> None:
        """Restrict to these source ids (empty: all)."""
        if ids == self._allowed:
            return
        self._allowed = ids
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def info(self, row: int) -> SourceInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, source_id: str | None) -> int:
        for i, s in enumerate(self._rows):
            if s.id == source_id:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        s = self._rows[index.row()]
        if self._allowed and s.id not in self._allowed:
            return Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.title
        if role == ID_ROLE:
            return s.id
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return catalogue_entry(s)
        return None


class SectionListModel(QAbstractListModel):
    """A source's section outline, indented by heading level."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SectionRow] = []
        self._current = -1

    def set_sections(self, rows: list[SectionRow]) -> None:
        self.beginResetModel()
        # Level-0 body sections without a title say nothing in an outline.
        self._rows = [r for r in rows if r.title.strip()]
        self._current = -1
        self.endResetModel()

    def row_at(self, offset: int) -> int:
        """The outline row containing a character offset (the last section starting before it)."""
        best = -1
        for i, r in enumerate(self._rows):
            if r.start <= offset:
                best = i
            else:
                break
        return best

    def set_current(self, row: int) -> None:
        if row == self._current:  # every scroll step asks; repaint only on a change
            return
        old, self._current = self._current, row
        for r in (old, row):
            if 0 <= r < len(self._rows):
                idx = self.index(r, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.FontRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "    " * max(0, r.level - 1) + r.title
        if role == ID_ROLE:
            return r.id
        if role == OFFSET_ROLE:
            return r.start
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.title
        if role == Qt.ItemDataRole.FontRole and index.row() == self._current:
            f = QFont()
            f.setBold(True)
            return f
        return None

"""The history of one event (or entity, passage) as a list model: newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from db.workspace.service import HistoryEntry, Row, describe

_Index = QModelIndex | QPersistentModelIndex


def entry_text(h: HistoryEntry) -> str:
    after = h.after or h.before
    what = describe(Row.from_dict(after)) if after else h.kind
    if h.after is None:
        what = f"removed {what}"
    when = h.at.replace("T", " ")[:16]
    return f"{h.action} ({what})\n{when} UTC · {h.reviewer}"


class HistoryModel(QAbstractListModel):
    """Rows are history entries; the model holds plain values, never sessions."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[HistoryEntry] = []

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        self.beginResetModel()
        self._entries = list(reversed(entries))
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        h = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry_text(h)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{h.action}\nby {h.reviewer} at {h.at}"
        if role == Qt.ItemDataRole.UserRole:
            return h
        return None

"""Search results as a two-level Qt model: one group row per kind, its hits under it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from db.search import Hit, SearchResult

__all__ = ["GROUP_TITLES", "SearchResultsModel"]

GROUP_TITLES = {"entity": "Entities", "event": "Events", "passage": "Passages"}

Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractItemModel):
    """Holds one :class:`~db.search.SearchResult` (plain values, no ORM objects).

    Group rows have internal id 0; a hit's internal id is its group row + 1,
    so ``parent()`` needs no pointers into Python objects.
    """

    HitRole = Qt.ItemDataRole.UserRole + 1  # the Hit (hit rows only)
    KindRole = Qt.ItemDataRole.UserRole + 2  # "entity" | "event" | "passage"
    IsGroupRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._result: SearchResult | None = None
        self._groups: list[tuple[str, list[Hit]]] = []

    # --- our API -------------------------------------------------------------
    @property
    def result(self) -> SearchResult | None:
        return self._result

    def set_result(self, result: SearchResult | None) -> None:
        self.beginResetModel()
        self._result = result
        self._groups = []
        if result is not None:
            for kind in GROUP_TITLES:
                hits = result.by_kind(kind)
                if hits:
                    self._groups.append((kind, hits))
        self.endResetModel()

    def hit(self, index: Index) -> Hit | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        g = int(index.internalId()) - 1
        if g >= len(self._groups) or index.row() >= len(self._groups[g][1]):
            return None
        return self._groups[g][1][index.row()]

    def first_hit_index(self) -> QModelIndex:
        if not self._groups:
            return QModelIndex()
        return self.index(0, 0, self.index(0, 0))

    def hit_indexes(self) -> list[QModelIndex]:
        """Every hit row, in display order (for keyboard navigation)."""
        out: list[QModelIndex] = []
        for g in range(len(self._groups)):
            parent = self.index(g, 0)
            out.extend(self.index(r, 0, parent) for r in range(self.rowCount(parent)))
        return out

    # --- QAbstractItemModel --------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._groups):
                return QModelIndex()
            return self.createIndex(row, 0, 0)
        if parent.internalId() != 0 or parent.row() >= len(self._groups):
            return QModelIndex()
        if row >= len(self._groups[parent.row()][1]):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        if parent.row() >= len(self._groups):
            return 0
        return len(self._groups[parent.row()][1])

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            if index.row() >= len(self._groups):
                return None
            kind, hits = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return self._group_title(kind, len(hits))
            if role == self.KindRole:
                return kind
            if role == self.IsGroupRole:
                return True
            return None
        hit = self.hit(index)
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet
        if role == self.HitRole:
            return hit
        if role == self.KindRole:
            return hit.kind
        if role == self.IsGroupRole:
            return False
        return None

    def _group_title(self, kind: str, shown: int) -> str:
        total = shown
        more = False
        if self._result is not None:
            total = self._result.counts.get(kind, shown)
            more = self._result.more.get(kind, False)
        count = f"{total}+" if more else str(total)
        return f"{GROUP_TITLES[kind]} ({count})"

"""Item models of the entity pane. They hold entity ids and fill display rows lazily."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QPalette
from sqlalchemy import Engine

from db import query
from db.filters import Filters
from db.query import EntityRow, EventRow
from desktop import theme
from desktop.roles import HIGHLIGHT_ROLE, ID_ROLE, TYPE_ROLE

Index = QModelIndex | QPersistentModelIndex

TYPE_LABELS = {
    "person": "People",
    "place": "Places",
    "polity": "States",
    "organisation": "Organisations",
    "military_unit": "Armies",
    "group": "Groups",
}
COLUMNS = ("Name", "Ment.", "Ev.", "Src.")
COLUMN_TIPS = (
    "Name",
    "Mentions in all sources",
    "Events it takes part in",
    "Sources mentioning it",
)
SORT_KEYS = ("name", "mention_count", "event_count", "source_count")
_PAGE = 200
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ENTITY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        ID_ROLE,
        TYPE_ROLE,
        HIGHLIGHT_ROLE,
    }
)


class _Group:
    """One entity type: its count is known up front, its ids are fetched on first use."""

    def __init__(self, type_: str, count: int) -> None:
        self.type = type_
        self.count = count
        self.ids: list[str] | None = None
        self.rows: dict[str, int] = {}


class EntityTreeModel(QAbstractItemModel):
    """Entity types at the top level, their entities below, with mention/event/source counts.

    Rows hold ids only; display rows come from :func:`db.query.entity_rows` a
    page at a time and are cached until the filters or sort change.
    """

    def __init__(self, engine: Engine, parent: Any = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._filters: Filters | None = None
        self._text = ""
        self._sort = "name"
        self._descending = False
        self._groups: list[_Group] = []
        self._cache: dict[str, EntityRow] = {}
        self._highlighted: frozenset[str] = frozenset()
        self._types: dict[str, str] = {}  # entity id → type, as learnt
        self._brushes: dict[str, Any] = {}
        self._fonts: dict[tuple[bool, bool], QFont] = {}
        self._reload()

    # --- our API ---------------------------------------------------------
    def set_filters(self, filters: Filters) -> None:
        # The entity filter is this pane's own multi-selection; it never narrows the tree.
        filters = replace(filters, entities=frozenset(), entities_all=False)
        if filters == self._filters:
            return
        self._filters = filters
        self._reset()

    def set_text(self, text: str) -> None:
        text = text.strip()
        if text == self._text:
            return
        self._text = text
        self._reset()

    def set_highlighted(self, ids: frozenset[str], types: dict[str, str] | None = None) -> None:
        """Light the rows of these entities (the selected event's participants).

        ``types`` (entity id → type) spares a lookup per entity.
        """
        changed = self._highlighted ^ ids
        self._highlighted = ids
        self._types.update(types or {})
        roles = [HIGHLIGHT_ROLE, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole]
        for eid in changed:
            idx = self.index_of(eid, self._types.get(eid))
            if idx.isValid():
                # One cell at a time: a view repaints its whole viewport for a multi-cell
                # range, but only the cell's rectangle for a single index.
                for col in range(len(COLUMNS)):
                    cell = idx.siblingAtColumn(col)
                    self.dataChanged.emit(cell, cell, roles)

    @property
    def highlighted(self) -> frozenset[str]:
        return self._highlighted

    def index_of(self, entity_id: str, entity_type: str | None = None) -> QModelIndex:
        """The row of an entity (column 0), or an invalid index if it is filtered out."""
        row = self._group_of(entity_type) if entity_type else self._entity_type(entity_id)
        if row is None:
            return QModelIndex()
        g = self._groups[row]
        self._ensure_ids(g)
        r = g.rows.get(entity_id)
        if r is None:
            return QModelIndex()
        return self.createIndex(r, 0, row + 1)

    def group_index(self, entity_type: str) -> QModelIndex:
        for i, g in enumerate(self._groups):
            if g.type == entity_type:
                return self.createIndex(i, 0, 0)
        return QModelIndex()

    def entity_id(self, index: Index) -> str | None:
        v = index.data(ID_ROLE) if index.isValid() and index.internalId() != 0 else None
        return v if isinstance(v, str) else None

    # --- internals -------------------------------------------------------
    def _group_of(self, entity_type: str) -> int | None:
        for i, g in enumerate(self._groups):
            if g.type == entity_type:
                return i
        return None

    def _entity_type(self, entity_id: str) -> int | None:
        etype = self._types.get(entity_id)
        if etype is None:
            row = self._cache.get(entity_id) or query.entity_rows(self._engine, [entity_id]).get(
                entity_id
            )
            if row is None:
                return None
            etype = self._types[entity_id] = row.type
        return self._group_of(etype)

    def _reload(self) -> None:
        counts = query.entity_type_counts(self._engine, self._filters, self._text)
        self._groups = [_Group(t, n) for t, n in counts.items()]
        self._cache.clear()

    def _reset(self) -> None:
        self.beginResetModel()
        self._reload()
        self.endResetModel()

    def _ensure_ids(self, g: _Group) -> list[str]:
        if g.ids is None:
            g.ids = query.entity_ids(
                self._engine, g.type, self._filters, self._text, self._sort, self._descending
            )
            g.rows = {eid: i for i, eid in enumerate(g.ids)}
            # The count query and the id query use the same WHERE clause; trust the ids.
            g.count = len(g.ids)
        return g.ids

    def _row(self, g: _Group, r: int) -> EntityRow | None:
        ids = self._ensure_ids(g)
        if not 0 <= r < len(ids):
            return None
        eid = ids[r]
        row = self._cache.get(eid)
        if row is None:
            page = ids[(r // _PAGE) * _PAGE : (r // _PAGE + 1) * _PAGE]
            self._cache.update(query.entity_rows(self._engine, page))
            row = self._cache.get(eid)
        return row

    # --- Qt model API ------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._groups):
                return QModelIndex()
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        g = self._groups[parent.row()]
        if row >= g.count:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return self._groups[parent.row()].count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return _ENTITY_FLAGS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return COLUMN_TIPS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def refresh_colours(self) -> None:
        """Forget palette-dependent brushes (after a light/dark switch)."""
        self._brushes.clear()
        if self._groups:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._groups) - 1, 0))

    def _brush(self, key: str) -> Any:
        b = self._brushes.get(key)
        if b is None:
            colour = theme.highlight_row_colour() if key == "lit" else theme.entity_colour(key)
            b = self._brushes[key] = QBrush(colour) if key == "lit" else colour
        return b

    def _font(self, bold: bool, italic: bool) -> QFont:
        f = self._fonts.get((bold, italic))
        if f is None:
            f = self._fonts[(bold, italic)] = QFont()
            f.setBold(bold)
            f.setItalic(italic)
        return f

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for many roles per cell on every repaint; answer the rest at once.
        # Roles are compared with plain ints: a Qt.ItemDataRole member looked up and
        # compared per call was 12 % of repainting the tree (which selecting an event
        # usually scrolls, repainting every row).
        if role not in _ROLES or not index.isValid():
            return None
        col = index.column()
        if index.internalId() == 0:
            g = self._groups[index.row()]
            if col != 0:
                return None
            if role == _DISPLAY:
                return f"{TYPE_LABELS.get(g.type, g.type.title())} ({g.count})"
            if role == TYPE_ROLE:
                return g.type
            if role == _FONT:
                return self._font(True, False)
            if role == _DECORATION:
                return self._brush(g.type)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{TYPE_LABELS.get(g.type, g.type)}: {g.count} entities"
            return None
        g = self._groups[int(index.internalId()) - 1]
        row = self._row(g, index.row())
        if row is None:
            return None
        if role == _DISPLAY:
            return (row.name, row.mention_count, row.event_count, row.source_count)[col]
        lit = row.id in self._highlighted
        if role == _BACKGROUND:
            return self._brush("lit") if lit else None
        if role == _FONT:
            return self._font(lit, not row.curated) if (lit or not row.curated) else None
        if role == _ALIGNMENT:
            return _RIGHT if col > 0 else None
        if role == ID_ROLE:
            return row.id
        if role == TYPE_ROLE:
            return row.type
        if role == HIGHLIGHT_ROLE:
            return lit
        if col != 0:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            note = "" if row.curated else "\nUncurated: found in the text, not in the gazetteer"
            return f"{row.name} ({row.type}, id {row.id}){note}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            lit_note = ", takes part in the selected event" if lit else ""
            return f"{row.name}, {row.type}{lit_note}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            return
        sort, desc = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        if (sort, desc) == (self._sort, self._descending):
            return
        self._sort, self._descending = sort, desc
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [(i, self.entity_id(i)) for i in old]
        for g in self._groups:
            g.ids = None
            g.rows = {}
        new = []
        for i, eid in old_ids:
            if eid is None:
                new.append(i if i.isValid() else QModelIndex())
                continue
            n = self.index_of(eid)
            new.append(n.siblingAtColumn(i.column()) if n.isValid() else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


class EventListModel(QAbstractListModel):
    """A short list of events (those of the current entity), date first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._current: str | None = None

    def set_events(self, rows: list[EventRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_current(self, event_id: str | None) -> None:
        old, self._current = self._current, event_id
        for r, row in enumerate(self._rows):
            if row.id in (old, event_id):
                idx = self.index(r, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.FontRole, HIGHLIGHT_ROLE])

    def row_of(self, event_id: str) -> int:
        for r, row in enumerate(self._rows):
            if row.id == event_id:
                return r
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.date_label}  {row.title}"
        if role == ID_ROLE:
            return row.id
        if role == TYPE_ROLE:
            return row.kind
        if role == HIGHLIGHT_ROLE:
            return row.id == self._current
        if role == Qt.ItemDataRole.FontRole and row.id == self._current:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "rejected":
            # Rejected by the reviewer and shown dimmed (View › Show Rejected Events Dimmed).
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.ToolTipRole:
            review = "" if row.status == "unreviewed" else f"\nreview: {row.status}"
            return f"{row.title}\n{row.kind}, {row.date_label}{review}"
        return None

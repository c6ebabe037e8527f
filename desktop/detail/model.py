"""Item models of the event-detail pane: participants, and the accounts side by side."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from db.query import Account, ParticipantRow
from desktop import theme
from desktop.roles import HIGHLIGHT_ROLE, ID_ROLE, OFFSET_ROLE, TYPE_ROLE

Index = QModelIndex | QPersistentModelIndex

ROLE_LABELS = {"agent": "agent", "target": "target", "commander": "commander", "place": "place"}


class ParticipantModel(QAbstractListModel):
    """The selected event's participants and places; the selected entity is bold."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ParticipantRow] = []
        self._current: str | None = None

    def set_participants(self, rows: tuple[ParticipantRow, ...] | list[ParticipantRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_current(self, entity_id: str | None) -> None:
        old, self._current = self._current, entity_id
        for r, p in enumerate(self._rows):
            if p.entity_id in (old, entity_id):
                idx = self.index(r, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.FontRole, HIGHLIGHT_ROLE])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{p.name} · {ROLE_LABELS.get(p.role, p.role)}"
        if role == ID_ROLE:
            return p.entity_id
        if role == TYPE_ROLE:
            return p.type
        if role == HIGHLIGHT_ROLE:
            return p.entity_id == self._current
        if role == Qt.ItemDataRole.DecorationRole:
            return theme.entity_colour(p.type)
        if role == Qt.ItemDataRole.FontRole and (p.entity_id == self._current or not p.curated):
            f = QFont()
            f.setBold(p.entity_id == self._current)
            f.setItalic(not p.curated)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            cur = "" if p.curated else " — uncurated"
            return f"{p.name}: {p.type}, {p.role}{cur}. Click to select."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{p.name}, {p.type}, {p.role}"
        return None


FIELDS = ("Source", "Account", "Date as written", "Date", "Numbers")


def _interval(value: str) -> tuple[int, int] | None:
    """The days a compact date (1918, 1918-03, 1918-03-30, or A/B of those) covers."""

    def bounds(part: str) -> tuple[int, int] | None:
        try:
            nums = [int(x) for x in part.split("-")]
        except ValueError:
            return None
        if len(nums) == 1:
            return date(nums[0], 1, 1).toordinal(), date(nums[0], 12, 31).toordinal()
        if len(nums) == 2:
            last = calendar.monthrange(nums[0], nums[1])[1]
            return date(nums[0], nums[1], 1).toordinal(), date(nums[0], nums[1], last).toordinal()
        if len(nums) == 3:
            day = date(nums[0], nums[1], nums[2]).toordinal()
            return day, day
        return None

    first, _, last = value.partition("/")
    try:
        a = bounds(first)
        b = bounds(last) if last else a
    except ValueError:
        return None
    return (a[0], b[1]) if a and b else None


_ACCOUNT, _DATE, _NUMBERS = 1, 3, 4


class AccountsModel(QAbstractTableModel):
    """Each evidence passage of the event in its own column; rows are what the accounts say.

    Cells where one account's normalized date or numbers differ from another's
    are marked (background and tooltip): those differences are data.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._accounts: list[Account] = []
        self._differs: set[tuple[int, int]] = set()  # (field row, account column)

    def set_accounts(self, accounts: tuple[Account, ...] | list[Account]) -> None:
        self.beginResetModel()
        self._accounts = list(accounts)
        self._differs = self._differences()
        self.endResetModel()

    def account(self, column: int) -> Account | None:
        return self._accounts[column] if 0 <= column < len(self._accounts) else None

    def differs(self, row: int, column: int) -> bool:
        return (row, column) in self._differs

    def _differences(self) -> set[tuple[int, int]]:
        out: set[tuple[int, int]] = set()
        # Dates disagree when they cannot both be true: "30 March 1918" and
        # "30 March – 1 April 1918" agree; "5 June" and "15 June" do not.
        spans = {c: _interval(a.value) for c, a in enumerate(self._accounts) if a.value}
        known = {c: span for c, span in spans.items() if span is not None}
        for c, (lo, hi) in known.items():
            if any(hi < lo2 or hi2 < lo for c2, (lo2, hi2) in known.items() if c2 != c):
                out.add((_DATE, c))
        by_what: dict[str, dict[int, set[Any]]] = {}
        for c, a in enumerate(self._accounts):
            for _text, value, what in a.numbers:
                by_what.setdefault(what or "number", {}).setdefault(c, set()).add(value)
        for cols in by_what.values():
            values = [frozenset(v) for v in cols.values()]
            if len(cols) > 1 and len(set(values)) > 1:
                out.update((_NUMBERS, c) for c in cols)
        return out

    def _text(self, row: int, a: Account) -> str:
        if row == 0:
            return a.source_title
        if row == _ACCOUNT:
            return a.text
        if row == 2:
            return a.date_text or "—"
        if row == _DATE:
            return a.value or "—"
        if a.numbers:
            return "\n".join(f"{t} ({what})" if what else t for t, _v, what in a.numbers)
        return "—"

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._accounts else len(FIELDS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._accounts)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(FIELDS):
            return FIELDS[section]
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._accounts):
            return f"Account {section + 1}"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.account(index.column())
        if a is None or not 0 <= index.row() < len(FIELDS):
            return None
        row = index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, a)
        if role == ID_ROLE:
            return a.passage_id
        if role == OFFSET_ROLE:
            return a.start
        if role == HIGHLIGHT_ROLE:
            return (row, index.column()) in self._differs
        if role == Qt.ItemDataRole.BackgroundRole and (row, index.column()) in self._differs:
            return QBrush(theme.difference_colour())
        if role == Qt.ItemDataRole.FontRole and row == 0:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            if (row, index.column()) in self._differs:
                return "The accounts disagree here."
            if row == _ACCOUNT:
                return "Click to show this passage in the source text"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

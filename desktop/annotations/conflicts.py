"""Deciding an import's conflicts: one row per annotation both reviewers made differently.

An import adds what is new and keeps the reviewer's own version wherever the other
reviewer annotated the same thing (same event and field, same status slot, same note…)
differently. This dialog lists those conflicts side by side and lets the reviewer keep
theirs or take the other's, row by row or all at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.workspace.service import Row, describe

KEEP, TAKE = "Keep mine", "Take theirs"
COLUMNS = ("Target", "Annotation", "Yours", "Theirs", "Decision")


class ConflictDialog(QDialog):
    """The conflicts of one import, each with a choice; :meth:`chosen` gives theirs to take."""

    def __init__(self, conflicts: Sequence[tuple[Row, Row]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importConflicts")
        self.setWindowTitle("Import conflicts")
        self.setAccessibleName("Import conflicts")
        self._conflicts = list(conflicts)
        n = len(self._conflicts)
        intro = QLabel(
            f"{n} {'annotation differs' if n == 1 else 'annotations differ'} between your work "
            "and the imported file. Your version is kept unless you take theirs.",
            self,
        )
        intro.setWordWrap(True)

        self.table = QTableWidget(n, len(COLUMNS), self)
        self.table.setObjectName("conflictTable")
        self.table.setAccessibleName("Conflicts: yours and theirs")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col in (2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.choices: list[QComboBox] = []
        for r, (ours, theirs) in enumerate(self._conflicts):
            cells = (
                f"{ours.target_type} {ours.target_id}",
                ours.kind,
                f"{describe(ours)}\n— {ours.reviewer}, {_when(ours.modified)}",
                f"{describe(theirs)}\n— {theirs.reviewer}, {_when(theirs.modified)}",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(r, c, item)
            combo = QComboBox(self.table)
            combo.addItems([KEEP, TAKE])
            combo.setAccessibleName(f"Decision for {ours.target_id} {ours.kind}")
            self.table.setCellWidget(r, 4, combo)
            self.choices.append(combo)

        self.keep_all = QPushButton("Keep All Mine", self)
        self.keep_all.setObjectName("keepAllMine")
        self.take_all = QPushButton("Take All Theirs", self)
        self.take_all.setObjectName("takeAllTheirs")
        self.keep_all.clicked.connect(self._on_keep_all_clicked)
        self.take_all.clicked.connect(self._on_take_all_clicked)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply Decisions")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Decide Later")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.keep_all)
        row.addWidget(self.take_all)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.resize(900, min(600, 160 + 60 * n))

    def chosen(self) -> list[Row]:
        """The other reviewer's versions the reviewer chose to take."""
        return [
            theirs
            for (_ours, theirs), combo in zip(self._conflicts, self.choices, strict=True)
            if combo.currentText() == TAKE
        ]

    @Slot()
    def _on_keep_all_clicked(self) -> None:
        for combo in self.choices:
            combo.setCurrentText(KEEP)

    @Slot()
    def _on_take_all_clicked(self) -> None:
        for combo in self.choices:
            combo.setCurrentText(TAKE)


def _when(iso: str) -> str:
    """``2026-11-21T07:13:05+00:00`` → ``2026-11-21 07:13`` (UTC, as stored)."""
    return iso[:16].replace("T", " ")

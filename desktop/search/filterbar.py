"""The active filters as removable chips, with what they leave, and a menu to add more."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)
from sqlalchemy import Engine

from db.filters import FilterOptions, Filters, chip_counts, counts, labels, options
from desktop.selection import SelectionContext

__all__ = ["FilterBar", "FilterChip"]

_FIELD_TITLES = {
    "dates": "dates",
    "kinds": "kind",
    "sources": "source",
    "entities": "entity",
    "phases": "phase",
    "review_statuses": "review",
}
REVIEW_STATUSES = ("unreviewed", "confirmed", "disputed", "rejected")

_CHIP_STYLE = (
    "QToolButton#filterChip { border: 1px solid #9ab; border-radius: 10px;"
    " padding: 1px 8px; background: #eef4f8; }"
    "QToolButton#filterChip:hover { background: #dde8f0; }"
)


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} " + (word[:-1] + "ies" if word.endswith("y") else word + "s")


class FilterChip(QToolButton):
    """One active filter value; clicking it removes it."""

    def __init__(self, field: str, value: str | None, label: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.field = field
        self.value = value
        self.label = label
        self.setObjectName("filterChip")
        self.setText(f"{label}  ✕")
        self.setToolTip(f"Remove the filter “{label}”")
        self.setAutoRaise(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class FilterBar(QWidget):
    """Shows ``selection.filters`` as chips and edits them through the selection context.

    With an ``engine`` it also offers an "Add filter" menu (kinds, sources,
    phases, the entities selected in the entity pane, a date range, review
    status) and shows how many events, entities and passages pass.
    """

    chipsChanged = Signal()

    def __init__(
        self,
        selection: SelectionContext,
        parent: QWidget | None = None,
        *,
        engine: Engine | None = None,
        review: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._selection = selection
        self._engine = engine
        self._review = review
        self._options: FilterOptions | None = None
        self.chips: list[FilterChip] = []
        self.setStyleSheet(_CHIP_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self._layout.setSpacing(4)
        self.add_button = QToolButton(self)
        self.add_button.setObjectName("addFilter")
        self.add_button.setText("Filter ▾")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.add_button)
        self.menu.aboutToShow.connect(self._on_menu_about_to_show)
        self.add_button.setMenu(self.menu)
        self._layout.addWidget(self.add_button)
        self.mode_button = QToolButton(self)
        self.mode_button.setObjectName("entityMode")
        self.mode_button.setToolTip("Events must involve any / all of the chosen entities")
        self.mode_button.clicked.connect(self._on_mode_button_clicked)
        self._layout.addWidget(self.mode_button)
        self._chip_area = QHBoxLayout()
        self._chip_area.setSpacing(4)
        self._layout.addLayout(self._chip_area)
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setText("Clear all")
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self._layout.addWidget(self.clear_button)
        self._layout.addStretch(1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("filterCounts")
        self.count_label.setStyleSheet("color: #666;")
        self._layout.addWidget(self.count_label)

        selection.filtersChanged.connect(self._on_selection_filters_changed)
        self._rebuild()

    # --- public API ---------------------------------------------------------------
    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self._options = None
        self._rebuild()

    def chip(self, field: str, value: str | None = None) -> FilterChip | None:
        for c in self.chips:
            if c.field == field and (value is None or c.value == value):
                return c
        return None

    def counts(self) -> dict[str, int] | None:
        """Events, entities and passages passing the current filters (None without a database)."""
        if self._engine is None:
            return None
        review = self._review() if self._review is not None else None
        return counts(self._engine, self._selection.filters, review=review)

    # --- building ----------------------------------------------------------------
    def _rebuild(self) -> None:
        filters = self._selection.filters
        for c in self.chips:
            self._chip_area.removeWidget(c)
            c.deleteLater()
        self.chips = []
        names: dict[tuple[str, str], str] = {}
        alone: dict[tuple[str, str | None], int] = {}
        if self._engine is not None:
            names = labels(self._engine, filters)
            review = self._review() if self._review is not None else None
            alone = chip_counts(self._engine, filters, review=review)
        for field, value, label in filters.chips():
            if value is not None:
                label = names.get((field, value), label)
            text = f"{_FIELD_TITLES[field]}: {label}" if field != "dates" else label
            chip = FilterChip(field, value, text, self)
            if (field, value) in alone:
                # How many events this chip alone lets through, beside its label.
                chip.setText(f"{text} · {alone[(field, value)]}  ✕")
            chip.clicked.connect(self._on_chip_clicked)
            self._chip_area.addWidget(chip)
            self.chips.append(chip)
        self.mode_button.setVisible(len(filters.entities) > 1)
        self.mode_button.setText("all of" if filters.entities_all else "any of")
        self.clear_button.setVisible(len(self.chips) > 1)
        n = self.counts()
        if n is None:
            self.count_label.setText("")
        elif filters.is_empty():
            self.count_label.setText(_plural(n["event"], "event"))
        else:
            self.count_label.setText(
                " · ".join(
                    _plural(n[k], word)
                    for k, word in (
                        ("event", "event"),
                        ("entity", "entity"),
                        ("passage", "passage"),
                    )
                )
            )
        self.chipsChanged.emit()

    def _filter_menu(
        self, title: str, field: str, items: list[tuple[str, str, int | None]]
    ) -> None:
        sub = self.menu.addMenu(title)
        current: frozenset[str] = getattr(self._selection.filters, field)
        if not items:
            sub.setEnabled(False)
        for value, label, n in items:
            action = QAction(f"{label} ({n})" if n is not None else label, sub)
            action.setCheckable(True)
            action.setChecked(value in current)
            action.setData((field, value))
            action.toggled.connect(self._on_action_toggled)
            sub.addAction(action)

    @Slot()
    def _on_menu_about_to_show(self) -> None:
        self.menu.clear()
        if self._engine is not None and self._options is None:
            self._options = options(self._engine)
        opts = self._options
        if opts is not None:
            self._filter_menu("Kind", "kinds", [(k, k, n) for k, n in opts.kinds])
            self._filter_menu("Source", "sources", [(i, t, n) for i, t, n in opts.sources])
            self._filter_menu("Phase", "phases", [(i, t, n) for i, t, n in opts.phases])
        if self._review is not None:  # only where the reviewer's statuses are known
            self._filter_menu(
                "Review status", "review_statuses", [(s, s, None) for s in REVIEW_STATUSES]
            )
        chosen = set(self._selection.entity_set)
        if self._selection.entity is not None:
            chosen.add(self._selection.entity)
        entity_action = self.menu.addAction("Selected entities")
        entity_action.setEnabled(bool(chosen))
        entity_action.triggered.connect(self._on_entities_action_triggered)
        self.menu.addAction("Date range…").triggered.connect(self._on_dates_action_triggered)

    # --- slots -------------------------------------------------------------------
    @Slot(object, object)
    def _on_selection_filters_changed(self, _filters: Filters, _previous: Filters) -> None:
        self._rebuild()

    @Slot()
    def _on_chip_clicked(self) -> None:
        chip = self.sender()
        if isinstance(chip, FilterChip):
            self._selection.set_filters(
                self._selection.filters.without_value(chip.field, chip.value)
            )

    @Slot()
    def _on_clear_button_clicked(self) -> None:
        self._selection.set_filters(Filters())

    @Slot()
    def _on_mode_button_clicked(self) -> None:
        f = self._selection.filters
        self._selection.update_filters(entities_all=not f.entities_all)

    @Slot(bool)
    def _on_action_toggled(self, checked: bool) -> None:
        action = self.sender()
        if not isinstance(action, QAction):
            return
        field, value = action.data()
        current: frozenset[str] = getattr(self._selection.filters, field)
        new = current | {value} if checked else current - {value}
        self._selection.update_filters(**{field: frozenset(new)})

    @Slot()
    def _on_entities_action_triggered(self) -> None:
        chosen = set(self._selection.entity_set)
        if self._selection.entity is not None:
            chosen.add(self._selection.entity)
        if chosen:
            self._selection.update_filters(
                entities=frozenset(self._selection.filters.entities | chosen)
            )

    @Slot()
    def _on_dates_action_triggered(self) -> None:
        f = self._selection.filters
        lo, hi = (
            self._options.date_range if self._options and self._options.date_range else (None, None)
        )
        dialog = DateRangeDialog(
            f.earliest if f.earliest is not None else lo,
            f.latest if f.latest is not None else hi,
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            a, b = dialog.range()
            self._selection.update_filters(earliest=a, latest=b)


class DateRangeDialog(QDialog):
    """Two dates, inclusive, as day numbers."""

    def __init__(
        self, earliest: int | None, latest: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Date range")
        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for edit, day in (
            (self.start, earliest or date(1918, 1, 1).toordinal()),
            (self.end, latest or date(1920, 12, 31).toordinal()),
        ):
            d = date.fromordinal(day)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(d.year, d.month, d.day))
        form = QFormLayout(self)
        form.addRow("From", self.start)
        form.addRow("To", self.end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def range(self) -> tuple[int, int]:
        a, b = (date(d.year(), d.month(), d.day()) for d in (self.start.date(), self.end.date()))
        lo, hi = sorted((a.toordinal(), b.toordinal()))
        return lo, hi

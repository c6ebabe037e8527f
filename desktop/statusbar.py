"""The status bar: how many events pass the filters, totals, and the active filters."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget
from sqlalchemy import Engine

from db import query
from db.filters import Filters
from desktop.selection import SelectionContext


class StatusBar(QStatusBar):
    def __init__(
        self, engine: Engine, selection: SelectionContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self._engine = engine
        self._selection = selection
        self.counts = QLabel(self)
        self.counts.setObjectName("statusCounts")
        self.counts.setAccessibleName("Counts")
        self.filters = QLabel(self)
        self.filters.setObjectName("statusFilters")
        self.filters.setAccessibleName("Active filters")
        self.filters.setTextFormat(Qt.TextFormat.PlainText)
        self.addWidget(self.counts)
        self.addPermanentWidget(self.filters)
        selection.filtersChanged.connect(self._on_selection_filters_changed)
        selection.reviewChanged.connect(self._on_selection_review_changed)
        self._on_selection_filters_changed(selection.filters, selection.filters)

    @Slot()
    def _on_selection_review_changed(self) -> None:
        """Hidden rejected events and the reviewer's own change the event count."""
        filters = self._selection.filters
        self._on_selection_filters_changed(filters, filters)

    @Slot(object, object)
    def _on_selection_filters_changed(self, current: Filters, _previous: Filters) -> None:
        c = query.counts(self._engine, current)
        events = (
            f"{c.events:,} events"
            if c.events == c.events_total
            else f"{c.events:,} of {c.events_total:,} events"
        )
        self.counts.setText(
            f"{events} · {c.entities:,} entities · {c.sources:,} sources · {c.passages:,} passages"
        )
        labels = [label for _f, label in current.describe()]
        self.filters.setText("Filters: " + "; ".join(labels) if labels else "No filters")

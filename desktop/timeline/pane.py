"""The timeline pane: toolbar, the painted timeline and the overview strip, synced with the selection."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from db.filters import Filters
from db.timeline_query import LANE_MODE_LABELS, LANE_MODES, Focus
from desktop.selection import SelectionContext
from desktop.timeline.axis import Axis
from desktop.timeline.calendar import format_day
from desktop.timeline.canvas import HEADER_W, TimelineCanvas
from desktop.timeline.data import TimelineData
from desktop.timeline.overview import OverviewStrip

LEGEND = "●  day   ▬  date range   ▭  month / season / year (faded)"


class TimelinePane(QWidget):
    """A zoomable, lane-based timeline of every event, linked to the selection context."""

    def __init__(
        self, engine: Engine, selection: SelectionContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timelinePane")
        self._selection = selection
        self._syncing = False  # re-entrancy guard: our own set_event must not recentre us
        self.data = TimelineData(engine)

        self.canvas = TimelineCanvas(self.data, self)
        self.canvas.setAccessibleName("Timeline")
        self.overview = OverviewStrip(self.data, HEADER_W, self)
        self.overview.setAccessibleName("Timeline overview")

        self.lane_combo = QComboBox(self)
        for mode in LANE_MODES:
            self.lane_combo.addItem(LANE_MODE_LABELS[mode], mode)
        self.lane_combo.setToolTip("Group events into lanes by kind, place, source or side")
        self.julian_button = QToolButton(self)
        self.julian_button.setText("Old style")
        self.julian_button.setCheckable(True)
        self.julian_button.setToolTip(
            "Label the axis with Julian (old style) dates before 14 February 1918"
        )
        self.fit_button = QToolButton(self)
        self.fit_button.setText("Fit all")
        self.fit_button.setToolTip("Show every event (Home)")
        self.filter_button = QToolButton(self)
        self.filter_button.setText("Filter to view")
        self.filter_button.setToolTip("Restrict every pane to the dates now visible")
        self.range_label = QLabel(self)
        self.range_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        legend = QLabel(LEGEND, self)
        legend.setEnabled(False)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        lanes_label = QLabel("Lanes:", self)
        lanes_label.setBuddy(self.lane_combo)
        bar.addWidget(lanes_label)
        bar.addWidget(self.lane_combo)
        bar.addWidget(self.julian_button)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.filter_button)
        bar.addSpacing(12)
        bar.addWidget(legend)
        bar.addStretch(1)
        bar.addWidget(self.range_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.overview)

        self.lane_combo.currentIndexChanged.connect(self._on_lane_combo_changed)
        self.julian_button.toggled.connect(self._on_julian_toggled)
        self.fit_button.clicked.connect(self.canvas.fit_all)
        self.filter_button.clicked.connect(self._on_filter_clicked)
        self.canvas.rangeChanged.connect(self._on_canvas_rangeChanged)
        self.canvas.eventActivated.connect(self._on_canvas_eventActivated)
        self.canvas.laneToggled.connect(self._on_canvas_laneToggled)
        self.canvas.stepRequested.connect(self._on_canvas_stepRequested)
        self.overview.windowMoved.connect(self.canvas.set_visible_range)
        self.overview.rangeChosen.connect(self._on_overview_rangeChosen)
        selection.eventChanged.connect(self._on_selection_eventChanged)
        selection.entityChanged.connect(self._on_selection_focusChanged)
        selection.entitySetChanged.connect(self._on_selection_focusChanged)
        selection.filtersChanged.connect(self._on_selection_focusChanged)
        selection.reviewChanged.connect(self._on_selection_reviewChanged)

        self._apply_focus()
        self.canvas.current = selection.event
        self.canvas.fit_core()

    # --- public API (used by the main window's actions and by tests) -------
    @property
    def lane_mode(self) -> str:
        return self.data.mode

    def set_lane_mode(self, mode: str) -> None:
        self.lane_combo.setCurrentIndex(LANE_MODES.index(mode))

    def lane_labels(self) -> list[str]:
        return [lane.label for lane in self.data.density.lanes]

    def visible_range(self) -> tuple[float, float]:
        return self.canvas.visible_range()

    def set_visible_range(self, start: float, end: float) -> None:
        self.canvas.set_visible_range(start, end)

    def axis(self) -> Axis:
        return self.canvas.axis()

    def set_julian(self, on: bool) -> None:
        self.julian_button.setChecked(on)

    # --- slots ----------------------------------------------------------
    @Slot(int)
    def _on_lane_combo_changed(self, index: int) -> None:
        self.data.set_mode(self.lane_combo.itemData(index))
        self.canvas.collapsed.clear()
        self.canvas.update()
        self.overview.invalidate()

    @Slot(bool)
    def _on_julian_toggled(self, on: bool) -> None:
        self.canvas.julian = on
        self.canvas.update()
        self._on_canvas_rangeChanged(*self.canvas.visible_range())

    @Slot()
    def _on_filter_clicked(self) -> None:
        start, end = self.canvas.visible_range()
        self._selection.update_filters(earliest=math.floor(start), latest=math.ceil(end) - 1)

    @Slot(float, float)
    def _on_canvas_rangeChanged(self, start: float, end: float) -> None:
        self.overview.set_window(start, end)
        julian = self.canvas.julian
        self.range_label.setText(
            f"{format_day(math.floor(start), julian)} – {format_day(math.ceil(end) - 1, julian)}"
        )

    @Slot(str)
    def _on_canvas_eventActivated(self, event_id: str) -> None:
        self._syncing = True
        try:
            self._selection.set_event(event_id)
        finally:
            self._syncing = False
        self.canvas.set_current(event_id)

    @Slot(int)
    def _on_canvas_laneToggled(self, lane: int) -> None:
        key = self.data.density.lanes[lane].key
        self.canvas.collapsed ^= {key}
        self.canvas.update()

    @Slot(int)
    def _on_canvas_stepRequested(self, step: int) -> None:
        current = self._selection.event
        interval = self.data.interval(current) if current else None
        if interval is None:
            day = math.floor(self.canvas.viewport.center)
            current = None
        else:
            day = interval[0]
        found = self.data.neighbour(day, current, step)
        if found is not None:
            # Selecting by keyboard should bring the event into view: not guarded.
            self._selection.set_event(found)

    @Slot(float, float, bool)
    def _on_overview_rangeChosen(self, start: float, end: float, as_filter: bool) -> None:
        self.canvas.set_visible_range(start, end)
        if as_filter:
            self._selection.update_filters(earliest=math.floor(start), latest=math.ceil(end) - 1)

    @Slot(object, object)
    def _on_selection_eventChanged(self, current: str | None, _previous: str | None) -> None:
        if current is not None and not self._syncing:
            interval = self.data.interval(current)
            if interval is not None:
                self.canvas.show_event(*interval)  # repaints all if the view moves
        self.canvas.set_current(current)

    @Slot()
    def _on_selection_focusChanged(self, *_args: object) -> None:
        self._apply_focus()

    @Slot()
    def _on_selection_reviewChanged(self) -> None:
        self.data.reload_review()
        self.canvas.update()
        self.overview.invalidate()

    def _apply_focus(self) -> None:
        sel = self._selection
        entities = set(sel.entity_set)
        if sel.entity is not None:
            entities.add(sel.entity)
        filters: Filters = sel.filters
        self.data.set_focus(Focus(filters, frozenset(entities)))
        self.canvas.date_filter = (filters.earliest, filters.latest)
        self.overview.date_filter = (filters.earliest, filters.latest)
        self.canvas.update()
        self.overview.invalidate()

"""The main window. It only assembles: panes in docks, the toolbar, menus from the action
registry, the status bar, and saved layout. Panes talk to each other through the
selection context alone."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QWidget,
)
from sqlalchemy import Engine

from db import __version__, query
from desktop import theme
from desktop.actions import ACTIONS, MENUS, create_actions
from desktop.detail import EventDetailPane
from desktop.entities import EntityPane
from desktop.search import FilterBar, SearchBar
from desktop.selection import SelectionContext
from desktop.source import SourcePane
from desktop.statusbar import StatusBar
from desktop.timeline import TimelinePane

SETTINGS_GEOMETRY = "window/geometry"
SETTINGS_STATE = "window/state"
SETTINGS_ORIGINAL = "source/original"
STATE_VERSION = 1


class MainWindow(QMainWindow):
    """Chronoscope's window: timeline (top), entities (left), source text (centre), event (right)."""

    def __init__(
        self,
        engine: Engine,
        selection: SelectionContext | None = None,
        *,
        restore_state: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Chronoscope")
        self.setAccessibleName("Chronoscope")
        self.setDockNestingEnabled(True)
        self.engine = engine
        self.selection = selection or SelectionContext(self)
        self._restore = restore_state

        self.source_pane = SourcePane(engine, self.selection, self)
        self.setCentralWidget(self.source_pane)
        self.entity_pane = EntityPane(engine, self.selection, self)
        self.detail_pane = EventDetailPane(engine, self.selection, self)
        self.timeline_pane = TimelinePane(engine, self.selection, self)
        self.timeline_pane.setAccessibleName("Timeline")

        self.timeline_dock = self._dock(
            "timelineDock", "Timeline", self.timeline_pane, Qt.DockWidgetArea.TopDockWidgetArea
        )
        self.entity_dock = self._dock(
            "entityDock", "Entities", self.entity_pane, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.detail_dock = self._dock(
            "detailDock", "Event", self.detail_pane, Qt.DockWidgetArea.RightDockWidgetArea
        )

        self.toolbar = QToolBar("Search", self)
        self.toolbar.setObjectName("searchToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setAccessibleName("Search toolbar")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        # The reviewer's statuses (db.query.set_review), for the review-status filter.
        def review() -> dict[str, str]:
            return dict(query.review_of(engine).statuses)

        self.search_bar = SearchBar(engine, self.selection, self, review=review)
        self.search_bar.setAccessibleName("Search")
        self.toolbar.addWidget(self.search_bar)
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.filter_bar = FilterBar(self.selection, self, engine=engine, review=review)
        self.filter_bar.setAccessibleName("Active filters")
        self.filter_toolbar = QToolBar("Filters", self)
        self.filter_toolbar.setObjectName("filterToolbar")
        self.filter_toolbar.setMovable(False)
        self.filter_toolbar.addWidget(self.filter_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.filter_toolbar)

        self.status = StatusBar(engine, self.selection, self)
        self.setStatusBar(self.status)
        self.actions_ = create_actions(self)
        # The search bar owns its Ctrl+F / Ctrl+K shortcuts; two owners would be ambiguous.
        self.actions_["find"].setShortcuts([])
        self.actions_["find"].setText("&Search…\tCtrl+K")
        self._build_menus()
        self._wire_actions()
        self.selection.eventChanged.connect(self._on_selection_event_changed)
        self._initial_state = self.saveState(STATE_VERSION)
        self._size_docks(1600, 1000)
        if restore_state:
            self.restore_layout()

    # --- assembly ----------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(f"{title} pane")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _size_docks(self, width: int, height: int) -> None:
        self.resizeDocks(
            [self.timeline_dock], [max(220, height * 3 // 10)], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.entity_dock, self.detail_dock],
            [max(280, width * 3 // 16), max(380, width * 5 // 16)],
            Qt.Orientation.Horizontal,
        )

    def _build_menus(self) -> None:
        menus: dict[str, QMenu] = {name: self.menuBar().addMenu(name) for name in MENUS}
        for spec in ACTIONS:
            menu = menus[spec.menu]
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(self.actions_[spec.name])
            self.addAction(self.actions_[spec.name])  # shortcuts work with the menu bar hidden
        view = menus["&View"]
        view.addSeparator()
        for dock in (self.timeline_dock, self.entity_dock, self.detail_dock):
            view.addAction(dock.toggleViewAction())

    def _wire_actions(self) -> None:
        a = self.actions_
        a["quit"].triggered.connect(self.close)
        a["find"].triggered.connect(self.search_bar.focus_search)
        a["find_in_document"].triggered.connect(self.source_pane.focus_find)
        a["previous_event"].triggered.connect(self._on_previous_event_triggered)
        a["next_event"].triggered.connect(self._on_next_event_triggered)
        a["previous_evidence"].triggered.connect(self.source_pane.previous_evidence)
        a["next_evidence"].triggered.connect(self.source_pane.next_evidence)
        a["clear_selection"].triggered.connect(self.selection.clear)
        a["focus_timeline"].triggered.connect(
            lambda: self._focus(self.timeline_dock, self.timeline_pane)
        )
        a["focus_entities"].triggered.connect(
            lambda: self._focus(self.entity_dock, self.entity_pane.tree)
        )
        a["focus_text"].triggered.connect(lambda: self._focus(None, self.source_pane.text))
        a["focus_detail"].triggered.connect(
            lambda: self._focus(self.detail_dock, self.detail_pane.accounts)
        )
        a["show_original"].setChecked(self.source_pane.showing_original)
        a["show_original"].toggled.connect(self.source_pane.set_original)
        self.source_pane.original_button.toggled.connect(a["show_original"].setChecked)
        a["show_repairs"].toggled.connect(self.source_pane.set_show_repairs)
        a["dark"].setChecked(theme.is_dark())
        a["dark"].toggled.connect(self._on_dark_toggled)
        a["reset_layout"].triggered.connect(self.reset_layout)
        a["about"].triggered.connect(self._on_about_triggered)

    # --- layout persistence ------------------------------------------------------------
    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value(SETTINGS_GEOMETRY)
        state = settings.value(SETTINGS_STATE)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state, STATE_VERSION)
        self.source_pane.set_original(settings.value(SETTINGS_ORIGINAL, False, type=bool) is True)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        settings.setValue(SETTINGS_STATE, self.saveState(STATE_VERSION))
        settings.setValue(SETTINGS_ORIGINAL, self.source_pane.showing_original)

    @Slot()
    def reset_layout(self) -> None:
        for dock in (self.timeline_dock, self.entity_dock, self.detail_dock):
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._initial_state, STATE_VERSION)
        self._size_docks(self.width(), self.height())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._restore:
            self.save_layout()
        super().closeEvent(event)

    # --- slots ---------------------------------------------------------------------------
    def _focus(self, dock: QDockWidget | None, widget: QWidget) -> None:
        if dock is not None:
            dock.show()
            dock.raise_()
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _on_previous_event_triggered(self) -> None:
        self._step_event(-1)

    @Slot()
    def _on_next_event_triggered(self) -> None:
        self._step_event(1)

    def _step_event(self, step: int) -> None:
        found = query.adjacent_event(
            self.engine, self.selection.event, step, self.selection.filters
        )
        if found is not None:
            self.selection.set_event(found)

    @Slot(object, object)
    def _on_selection_event_changed(self, current: str | None, _previous: str | None) -> None:
        title = self.detail_pane.detail.title if self.detail_pane.detail and current else None
        self.setWindowTitle(f"{title} — Chronoscope" if title else "Chronoscope")

    @Slot(bool)
    def _on_dark_toggled(self, dark: bool) -> None:
        theme.apply_palette(dark)
        self.source_pane.refresh_highlights()
        self.entity_pane.model.refresh_colours()

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Chronoscope",
            f"Chronoscope {__version__}\nA desktop chronology explorer.\n\n"
            "Text set in DejaVu Sans (Bitstream Vera licence).",
        )

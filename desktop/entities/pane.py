"""The entity pane: a filterable, sortable tree of entities and the events of the current one."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from db import query
from db.filters import Filters
from desktop.entities.model import EntityTreeModel, EventListModel
from desktop.roles import ID_ROLE
from desktop.selection import SelectionContext


class EntityPane(QWidget):
    """Entities by type. Clicking one selects it; several selected become an entity filter.

    Follows the selection context: the selected event's participants and places
    are lit, the selected entity is the current row and its events are listed.
    """

    def __init__(
        self, engine: Engine, selection: SelectionContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("entityPane")
        self._engine = engine
        self._selection = selection
        self._syncing = False
        self._pushed_filter: frozenset[str] = frozenset()

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter entities…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter entities")
        self._filter_timer = QTimer(self, singleShot=True, interval=150)

        self.model = EntityTreeModel(engine, self)
        self.model.set_filters(selection.filters)
        self.tree = QTreeView(self)
        self.tree.setObjectName("entityTree")
        self.tree.setAccessibleName("Entities by type")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(14)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would ask every row for its size (slow at scale).
        fm = header.fontMetrics()
        for c in (1, 2, 3):
            label = str(self.model.headerData(c, Qt.Orientation.Horizontal))
            width = max(fm.horizontalAdvance(label) + 24, fm.horizontalAdvance("0000") + 12)
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(c, width)
        header.setMinimumSectionSize(24)

        self.events_label = QLabel("Events", self)
        self.events_label.setObjectName("entityEventsLabel")
        self.events_model = EventListModel(self)
        self.events_view = QListView(self)
        self.events_view.setObjectName("entityEvents")
        self.events_view.setAccessibleName("Events of the selected entity")
        self.events_view.setModel(self.events_model)
        self.events_view.setUniformItemSizes(True)
        self.events_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        lower_layout.setSpacing(2)
        lower_layout.addWidget(self.events_label)
        lower_layout.addWidget(self.events_view)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.tree)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(split)

        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        self.events_view.clicked.connect(self._on_events_view_clicked)
        self.events_view.activated.connect(self._on_events_view_clicked)
        selection.eventChanged.connect(self._on_selection_event_changed)
        selection.entityChanged.connect(self._on_selection_entity_changed)
        selection.filtersChanged.connect(self._on_selection_filters_changed)
        selection.reviewChanged.connect(self._on_selection_review_changed)
        self._show_entity(selection.entity)

    # --- from the view -----------------------------------------------------
    @Slot()
    def _on_filter_timer_timeout(self) -> None:
        self.model.set_text(self.filter_edit.text())
        if self.filter_edit.text().strip():
            for r in range(self.model.rowCount()):
                self.tree.expand(self.model.index(r, 0))
        self._restore_current()

    @Slot(QItemSelection, QItemSelection)
    def _on_tree_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        if self._syncing:
            return
        ids = frozenset(
            eid
            for i in self.tree.selectionModel().selectedRows(0)
            if (eid := self.model.entity_id(i)) is not None
        )
        current = self.model.entity_id(self.tree.currentIndex())
        self._syncing = True
        try:
            self._selection.set_entity_set(ids)
            if current is not None and current in ids:
                self._selection.set_entity(current)
            elif len(ids) == 1:
                self._selection.set_entity(next(iter(ids)))
            self._push_entity_filter(ids)
        finally:
            self._syncing = False
        self._show_entity(self._selection.entity)

    def _push_entity_filter(self, ids: frozenset[str]) -> None:
        """Several entities selected filter the other panes; one is just a selection."""
        wanted = ids if len(ids) > 1 else frozenset()
        current = self._selection.filters.entities
        if wanted:
            self._pushed_filter = wanted
            self._selection.update_filters(entities=wanted)
        elif current and current == self._pushed_filter:
            self._pushed_filter = frozenset()
            self._selection.update_filters(entities=frozenset(), entities_all=False)

    @Slot(QModelIndex)
    def _on_events_view_clicked(self, index: QModelIndex) -> None:
        eid = index.data(ID_ROLE)
        if isinstance(eid, str):
            self._selection.set_event(eid)

    # --- from the selection context -----------------------------------------
    @Slot(object, object)
    def _on_selection_event_changed(self, current: str | None, _previous: str | None) -> None:
        self.events_model.set_current(current)
        if current is None:
            self.model.set_highlighted(frozenset())
            return
        links = query.event_links(self._engine, current)
        types = dict(links.types)
        self.model.set_highlighted(links.entities, types)
        lit = []
        for eid in sorted(links.entities):
            idx = self.model.index_of(eid, types.get(eid))
            if idx.isValid():
                if not self.tree.isExpanded(idx.parent()):
                    self.tree.expand(idx.parent())
                lit.append(idx)
        # Scroll only when no lit row is in view: scrolling repaints the whole tree.
        viewport = self.tree.viewport().rect()
        if lit and not any(viewport.intersects(self.tree.visualRect(i)) for i in lit):
            first = min(lit, key=lambda i: (i.parent().row(), i.row()))
            self.tree.scrollTo(first, QAbstractItemView.ScrollHint.PositionAtCenter)

    @Slot(object, object)
    def _on_selection_entity_changed(self, current: str | None, _previous: str | None) -> None:
        self._show_entity(current)
        if self._syncing:
            return
        self._restore_current()

    @Slot(object, object)
    def _on_selection_filters_changed(self, current: Filters, _previous: Filters) -> None:
        self.model.set_filters(current)
        self._restore_current()
        self._show_entity(self._selection.entity)
        if self._selection.event is not None:
            self._on_selection_event_changed(self._selection.event, None)

    # --- helpers -------------------------------------------------------------
    def _restore_current(self) -> None:
        """Make the tree's current row the selected entity, without echoing back."""
        eid = self._selection.entity
        self._syncing = True
        try:
            sm = self.tree.selectionModel()
            if eid is None:
                sm.clearSelection()
                return
            idx = self.model.index_of(eid)
            if not idx.isValid():
                sm.clearSelection()
                return
            self.tree.expand(idx.parent())
            sm.setCurrentIndex(
                idx,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            if not self.tree.viewport().rect().contains(self.tree.visualRect(idx)):
                self.tree.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        finally:
            self._syncing = False

    @Slot()
    def _on_selection_review_changed(self) -> None:
        """The reviewer changed events: list the entity's events, and light the selected
        event's participants, as they are now."""
        self._show_entity(self._selection.entity)
        event = self._selection.event
        if event is not None:
            links = query.event_links(self._engine, event)
            self.model.set_highlighted(links.entities, dict(links.types))

    def _show_entity(self, entity_id: str | None) -> None:
        if entity_id is None:
            self.events_label.setText("Events — select an entity")
            self.events_model.set_events([])
            return
        rows = query.entity_events(self._engine, entity_id, self._selection.filters)
        name = query.entity_rows(self._engine, [entity_id]).get(entity_id)
        label = name.name if name else entity_id
        self.events_label.setText(f"Events of {label} ({len(rows)})")
        self.events_model.set_events(rows)
        self.events_model.set_current(self._selection.event)

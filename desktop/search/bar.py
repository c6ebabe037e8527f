"""The search field: results as you type, grouped by kind, choosing one selects it everywhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from db import query as db_query
from db.filters import Filters
from db.search import Hit, SearchResult, search_all, warm
from desktop.search.delegate import HitDelegate
from desktop.search.model import SearchResultsModel
from desktop.selection import SelectionContext

__all__ = ["SearchBar", "SearchPopup"]

#: How long typing must pause before the query runs.
DEBOUNCE_MS = 150


class SearchPopup(QFrame):
    """The results list under the field. Shown without taking focus, so typing goes on."""

    def __init__(self, model: SearchResultsModel, parent: QWidget) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.notes = QLabel(self)
        self.notes.setObjectName("searchNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a5a00; padding: 2px 4px;")
        self.notes.hide()
        self.view = QTreeView(self)
        self.view.setObjectName("searchResults")
        self.view.setModel(model)
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setItemsExpandable(False)
        self.view.setUniformRowHeights(False)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setItemDelegate(HitDelegate(self.view))
        model.modelReset.connect(self.view.expandAll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self.notes)
        layout.addWidget(self.view)
        self.resize(560, 420)

    def fit_to_contents(self, max_height: int = 460) -> None:
        """As tall as the results (up to ``max_height``); just the notes when there are none."""
        model = self.view.model()
        # Row heights depend on the width (snippets wrap): settle the geometry, then lay
        # the rows out again.
        self.view.setVisible(True)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.view.doItemsLayout()
        rows = 0
        for g in range(model.rowCount()):
            group = model.index(g, 0)
            rows += self.view.sizeHintForIndex(group).height()
            for r in range(model.rowCount(group)):
                rows += self.view.sizeHintForIndex(model.index(r, 0, group)).height()
        self.view.setVisible(rows > 0)
        notes = self.notes.sizeHint().height() if not self.notes.isHidden() else 0
        height = notes + (rows + 2 * self.view.frameWidth() + 4 if rows else 0) + 2
        self.setFixedHeight(max(24, min(max_height, height)))


class SearchBar(QWidget):
    """Search passages, events and entities at once (Ctrl+K / Ctrl+F).

    Typing restarts a short timer; when it fires the query runs against the
    read-only database with the selection context's filters, and the grouped
    results show under the field. Up/Down move through them, Enter or a click
    selects the hit in every pane (through the selection context), Escape
    closes the list.
    """

    resultsReady = Signal(object)  # SearchResult
    resultActivated = Signal(str, object)  # (kind, id)

    def __init__(
        self,
        engine: Engine,
        selection: SelectionContext,
        parent: QWidget | None = None,
        *,
        limit: int = 8,
        review: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._selection = selection
        self._limit = limit
        self._review = review
        self._last: tuple[str, Filters] | None = None

        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("searchField")
        self.line_edit.setPlaceholderText("Search events, people, places, passages…  (Ctrl+K)")
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setMinimumWidth(260)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit)

        self.model = SearchResultsModel(self)
        self.popup = SearchPopup(self.model, self)
        self.popup.view.clicked.connect(self._on_view_clicked)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

        self.line_edit.textChanged.connect(self._on_line_edit_text_changed)
        self.line_edit.returnPressed.connect(self._on_line_edit_return_pressed)
        self.line_edit.installEventFilter(self)
        selection.filtersChanged.connect(self._on_selection_filters_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

        # Once the window is up, read what searching needs, so the first keystroke is quick.
        QTimer.singleShot(0, self, self._on_idle_warm)

        for keys in (QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.focus_search)

    # --- public API ---------------------------------------------------------------
    @property
    def result(self) -> SearchResult | None:
        return self.model.result

    def set_engine(self, engine: Engine) -> None:
        """Search another database (e.g. after opening one)."""
        self._engine = engine
        self._last = None
        warm(engine)
        self.search_now()

    @Slot()
    def focus_search(self) -> None:
        self.line_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line_edit.selectAll()
        if self.model.rowCount() or self.popup.notes.text():
            self._show_popup()

    @Slot()
    def search_now(self) -> SearchResult:
        """Run the query in the field now (the timer calls this after typing pauses)."""
        self.timer.stop()
        query = self.line_edit.text()
        filters = self._selection.filters
        review = self._review() if self._review is not None else None
        result = search_all(self._engine, query, limit=self._limit, filters=filters, review=review)
        result = _as_reviewed(self._engine, result)
        self._last = (query, filters)
        self.model.set_result(result)
        self._show_notes(result)
        if result.hits:
            self.popup.view.setCurrentIndex(self.model.first_hit_index())
        if query.strip() and (result.hits or result.notes or not result.query.empty):
            self._show_popup()
        else:
            self.popup.hide()
        self.resultsReady.emit(result)
        return result

    def activate(self, hit: Hit) -> None:
        """Select what the hit points at, in every pane."""
        sel = self._selection
        if hit.kind == "entity" and isinstance(hit.id, str):
            sel.set_entity(hit.id)
        elif hit.kind == "event" and isinstance(hit.id, str):
            sel.set_event(hit.id)
        elif hit.kind == "passage" and isinstance(hit.id, int):
            if hit.source_id is not None:
                sel.set_source(hit.source_id)
            sel.set_passage(hit.id)
        self.popup.hide()
        self.resultActivated.emit(hit.kind, hit.id)

    def current_hit(self) -> Hit | None:
        return self.model.hit(self.popup.view.currentIndex())

    # --- internals ---------------------------------------------------------------
    def _show_notes(self, result: SearchResult) -> None:
        lines = list(result.notes)
        if not result.hits and not result.query.empty:
            lines.append(f"No matches for “{result.query.text.strip()}”.")
        self.popup.notes.setText("\n".join(lines))
        self.popup.notes.setVisible(bool(lines))
        self.line_edit.setToolTip("\n".join(result.notes))

    def _show_popup(self) -> None:
        if not self.isVisible():
            return
        below = self.line_edit.mapToGlobal(QPoint(0, self.line_edit.height()))
        self.popup.move(below)
        self.popup.resize(max(self.line_edit.width(), 560), self.popup.height())
        self.popup.show()
        self.popup.raise_()
        self.popup.fit_to_contents()

    def _move_current(self, step: int) -> None:
        rows = self.model.hit_indexes()
        if not rows:
            return
        current = self.popup.view.currentIndex()
        try:
            i = rows.index(current)
        except ValueError:
            i = -1 if step > 0 else len(rows)
        i = max(0, min(len(rows) - 1, i + step))
        self.popup.view.setCurrentIndex(rows[i])
        self.popup.view.scrollTo(rows[i])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Down:
                if not self.popup.isVisible() and self.model.rowCount():
                    self._show_popup()
                else:
                    self._move_current(1)
                return True
            if key == Qt.Key.Key_Up:
                self._move_current(-1)
                return True
            if key == Qt.Key.Key_Escape and self.popup.isVisible():
                self.popup.hide()
                return True
        return super().eventFilter(watched, event)

    @Slot()
    def _on_idle_warm(self) -> None:
        warm(self._engine)

    @Slot(str)
    def _on_line_edit_text_changed(self, _text: str) -> None:
        self.timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.search_now()

    @Slot()
    def _on_line_edit_return_pressed(self) -> None:
        if self.timer.isActive() or self._last != (
            self.line_edit.text(),
            self._selection.filters,
        ):
            self.search_now()
        hit = self.current_hit()
        if hit is None:
            indexes = self.model.hit_indexes()
            hit = self.model.hit(indexes[0]) if indexes else None
        if hit is not None:
            self.activate(hit)

    @Slot(QModelIndex)
    def _on_view_clicked(self, index: QModelIndex) -> None:
        hit = self.model.hit(index)
        if hit is not None:
            self.activate(hit)

    @Slot(QWidget, QWidget)
    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Focus moving to another widget closes the list. Focus going nowhere (the popup
        # window being activated by a click, the app losing focus) keeps it open, so a
        # click on a result still lands.
        if new is None or new is self.line_edit or self.popup.isAncestorOf(new):
            return
        self.popup.hide()

    @Slot(object, object)
    def _on_selection_filters_changed(self, _filters: Filters, _previous: Filters) -> None:
        if self.line_edit.text().strip():
            self.timer.start()


def _as_reviewed(engine: Engine, result: SearchResult) -> SearchResult:
    """Event hits as the reviewer sees them: hidden rejected events left out, corrected titles
    shown (the bundled title matched; the detail line says so)."""
    ov = db_query.review_of(engine)
    if ov.is_empty():
        return result
    hits: list[Hit] = []
    for hit in result.hits:
        if hit.kind == "event" and isinstance(hit.id, str):
            if ov.hidden(hit.id):
                continue
            e = ov.events.get(hit.id)
            status = ov.status(hit.id)
            if e is not None and e.title != hit.title:
                hit = replace(
                    hit, title=e.title, title_spans=(), detail=hit.detail + " · corrected"
                )
            if status != "unreviewed":
                hit = replace(hit, detail=f"{hit.detail} · {status}")
        hits.append(hit)
    return replace(result, hits=hits)

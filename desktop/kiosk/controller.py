"""The kiosk controller: locks an assembled main window into a full-screen touch kiosk.

It adapts the window from outside (docks, toolbars, actions, fonts, scrollers)
and guards the whole application with one event filter that

- blocks context menus, every dialog, the usual ways out (Esc, F11, Alt+F4,
  Ctrl+Q, Ctrl+W, Alt+Tab where the OS lets the app see it) and closing;
- watches for input: each touch, click or key restarts the idle timer, and the
  first touch during the attract loop ends the loop (and is not passed on, so a
  visitor waking the kiosk does not select something by accident);
- counts taps in the top-left corner: the exit gesture that opens the PIN pad.

After ``idle_timeout`` seconds without input it resets to the start view (the
whole war, nothing selected, no filters) and starts the attract loop: a welcome
card, then, if the tour is on, each key event in turn with a caption.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QSinglePointEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QMenu,
    QScroller,
    QScrollerProperties,
    QSplitter,
    QToolBar,
    QWidget,
)

from desktop.kiosk.overlays import CaptionOverlay, PinPad
from desktop.kiosk.settings import KioskSettings, Labels
from desktop.kiosk.style import TOUCH, kiosk_stylesheet
from desktop.kiosk.tour import TourStop, tour_stops
from desktop.mainwindow import MainWindow
from desktop.timeline import TimelinePane

log = logging.getLogger(__name__)

#: Schemes whose URLs would open another program; the kiosk swallows them.
URL_SCHEMES = ("http", "https", "file", "mailto", "ftp", "tel")

#: Actions a kiosk must not offer: anything that edits, imports, exports, opens a
#: dialog or quits. Matched against action object names and texts, lower case.
BLOCKED_ACTION_WORDS = (
    "quit", "exit", "close", "export", "import", "open", "save", "print", "edit",
    "annot", "undo", "redo", "delete", "remove", "new", "restore", "merge", "review",
    "note", "tag", "confirm", "dispute", "reject", "correct", "about", "preferences",
    "settings", "reset_layout", "dark",
)  # fmt: skip

_KEY_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
)
_PRESSES = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
_POINTER_EVENTS = _PRESSES | frozenset(
    {
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TouchCancel,
        QEvent.Type.TabletMove,
        QEvent.Type.TabletRelease,
        QEvent.Type.Wheel,
        QEvent.Type.NativeGesture,
    }
)
_ENDS = frozenset(
    {
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.TouchEnd,
        QEvent.Type.TouchCancel,
        QEvent.Type.TabletRelease,
    }
)
_WINDOW_EVENTS = frozenset(
    {
        QEvent.Type.ContextMenu,
        QEvent.Type.Polish,
        QEvent.Type.Show,
        QEvent.Type.Close,
        QEvent.Type.Quit,
        QEvent.Type.WindowStateChange,
        QEvent.Type.Resize,
    }
)
_WATCHED = _KEY_EVENTS | _POINTER_EVENTS | _WINDOW_EVENTS

#: Pointer travel (px) that counts as a visitor moving a mouse, not jitter.
MOVE_SLOP = 12


def is_escape_key(event: QKeyEvent) -> bool:
    """The keys that leave, close, hide or switch away from a full-screen window."""
    key = event.key()
    mods = event.modifiers()
    # On macOS Qt reports Cmd as ControlModifier: Cmd+Q, Cmd+W, Cmd+H, Cmd+M are caught here.
    ctrl = bool(mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier))
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_Close, Qt.Key.Key_Exit):
        return True
    if key == Qt.Key.Key_F4 and (alt or ctrl):
        return True
    if key in (Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_H, Qt.Key.Key_M) and ctrl:
        return True
    if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (
        alt or mods & Qt.KeyboardModifier.MetaModifier
    ):
        return True
    return key == Qt.Key.Key_Space and alt  # the Windows system menu


class _UrlSink(QObject):
    """Receives every URL the app would hand to another program, and drops it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dropped: list[QUrl] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.dropped.append(url)
        log.info("kiosk: not opening %s", url.toString())


class KioskController(QObject):
    """Owns the kiosk state of one main window: locked, idle timer, attract loop, exit."""

    idleReset = Signal()  # the start view was restored after the idle time
    attractStarted = Signal()
    attractEnded = Signal()  # a visitor touched the screen
    tourAdvanced = Signal(int, object)  # (stop index, event id); (-1, None) = welcome card
    exitRequested = Signal()  # the exit gesture or key chord opened the PIN pad
    pinRejected = Signal()
    unlocked = Signal()
    dialogBlocked = Signal(str)  # class name of a dialog that tried to open

    def __init__(
        self,
        window: MainWindow,
        settings: KioskSettings,
        *,
        quit_app: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("kioskController")
        self.window = window
        self.settings = settings
        self.labels = Labels(settings.language)
        self.stops: list[TourStop] = tour_stops(window.engine)
        self._quit = quit_app or _exit_application
        self._locked = True
        self._installed = False
        self._fullscreen = True
        self._refullscreen_attempts = 0
        self._attract = False
        self._tour_index = -1
        self._swallow = False
        self._seen: deque[tuple[object, ...]] = deque(maxlen=24)
        self._corner_taps: list[float] = []
        self._last_pointer: QPoint | None = None
        self._exit_chord = _first_combination(settings.exit_keys)
        self._scrolled: set[int] = set()
        self._url_sink = _UrlSink(self)

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._app = app
        self._saved_font = QFont(app.font())
        self._saved_stylesheet = window.styleSheet()
        self._saved_native_dialogs = app.testAttribute(
            Qt.ApplicationAttribute.AA_DontUseNativeDialogs
        )
        self.font_pt = max(6.0, self._saved_font.pointSizeF()) * settings.type_scale

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(round(settings.idle_timeout * 1000))
        self.idle_timer.timeout.connect(self._on_idle_timer_timeout)
        self.tour_timer = QTimer(self)
        self.tour_timer.setInterval(round(settings.tour_step * 1000))
        self.tour_timer.timeout.connect(self._on_tour_timer_timeout)

        self.caption = CaptionOverlay(window, self.font_pt)
        self.pin_pad = PinPad(window, self.labels, self.font_pt)
        self.pin_pad.submitted.connect(self._on_pin_pad_submitted)
        self.pin_pad.cancelled.connect(self._on_pin_pad_cancelled)

        self._start_source = window.source_pane.source_id
        pane = window.timeline_pane
        self._start_lanes = pane.lane_mode if isinstance(pane, TimelinePane) else None

    # --- state --------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._locked

    @property
    def attract_active(self) -> bool:
        return self._attract

    @property
    def tour_index(self) -> int:
        return self._tour_index

    @property
    def dropped_urls(self) -> list[QUrl]:
        return self._url_sink.dropped

    # --- set up and tear down ----------------------------------------------------------
    def install(self, *, fullscreen: bool = True) -> None:
        """Lock the window into the kiosk and show it (full screen unless told otherwise)."""
        if self._installed:
            return
        self._installed = True
        self._fullscreen = fullscreen
        w = self.window
        app = self._app
        app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
        for scheme in URL_SCHEMES:
            # PySide6 wants the slot name as str, whatever its stub says.
            QDesktopServices.setUrlHandler(scheme, self._url_sink, "open_url")  # type: ignore[arg-type]
        font = QFont(self._saved_font)
        font.setPointSizeF(self.font_pt)
        app.setFont(font)
        w.setStyleSheet(kiosk_stylesheet(self.font_pt))
        self._lock_chrome()
        self._disable_actions()
        self._adapt_panes()
        app.installEventFilter(self)
        # An explicit minimum keeps the layout from demanding more than the screen has (the
        # larger type widens long labels): a window bigger than its screen drops full screen.
        w.setMinimumSize(320, 240)
        w.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        if fullscreen:
            w.showFullScreen()
        else:
            w.show()
        self.apply_layout()
        self.reset_to_start_view()
        self.start_attract()

    def release(self) -> None:
        """Undo what :meth:`install` did to the application (unlock, tests, quitting)."""
        if not self._installed:
            return
        self._installed = False
        self._locked = False
        self._app.removeEventFilter(self)
        self.idle_timer.stop()
        self.tour_timer.stop()
        for scheme in URL_SCHEMES:
            QDesktopServices.unsetUrlHandler(scheme)
        self._app.setAttribute(
            Qt.ApplicationAttribute.AA_DontUseNativeDialogs, self._saved_native_dialogs
        )
        self._app.setFont(self._saved_font)
        self.window.setStyleSheet(self._saved_stylesheet)
        self.caption.hide()
        self.pin_pad.hide()

    def _lock_chrome(self) -> None:
        w = self.window
        bar = w.menuBar()
        bar.setNativeMenuBar(False)  # else macOS keeps it (and its Quit) in the global bar
        bar.hide()
        w.statusBar().hide()
        w.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        # The event column runs the full height on the right: the detail of the selected
        # event is what a visitor reads, and it needs the room more than the timeline.
        w.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        w.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        for dock in (w.timeline_dock, w.entity_dock, w.detail_dock):
            dock.setFloating(False)
            dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
            dock.setTitleBarWidget(QWidget(dock))  # an empty widget: no title bar at all
            dock.show()
        for bar_ in w.findChildren(QToolBar):
            bar_.setMovable(False)
            bar_.setFloatable(False)
            bar_.toggleViewAction().setEnabled(False)
        filter_toolbar = getattr(w, "filter_toolbar", None)
        if w.search_bar is not None and not self.settings.search:
            # Without a keyboard a search field is a dead control.
            w.toolbar.hide()
        elif isinstance(filter_toolbar, QToolBar):
            w.removeToolBarBreak(filter_toolbar)  # search and filters share one row
        menu = getattr(w.filter_bar, "menu", None)
        if isinstance(menu, QMenu):
            menu.aboutToShow.connect(self._on_filter_menu_about_to_show)

    def _disable_actions(self) -> None:
        w = self.window
        actions = set(w.findChildren(QAction)) | set(w.actions())
        words = BLOCKED_ACTION_WORDS + (() if self.settings.search else ("find",))
        for action in actions:
            name = f"{action.objectName()} {action.text()}".lower().replace("&", "")
            if any(word in name for word in words):
                action.setEnabled(False)
                action.setShortcuts([])

    def _adapt_panes(self) -> None:
        """Touch-friendly panes: kinetic scrolling, bigger rows, room for the larger type."""
        w = self.window
        entities = w.entity_pane
        self.touch_scroll(entities.tree)
        self.touch_scroll(entities.events_view)
        source = w.source_pane
        self.touch_scroll(source.outline)
        for editor in source.stack.findChildren(QAbstractScrollArea):
            self.touch_scroll(editor)
        source.stack.currentChanged.connect(self._on_source_stack_current_changed)
        split = source.findChild(QSplitter, "sourceSplitter")
        if split is not None:
            split.setSizes([round(self.font_pt * 12), 2000])
        detail = w.detail_pane
        detail.participants.setMaximumHeight(round((TOUCH + 10) * 2))
        self.touch_scroll(detail.accounts)
        self.touch_scroll(detail.participants)
        # Name and event count; mentions and sources are for researchers.
        entities.tree.setColumnHidden(1, True)
        entities.tree.setColumnHidden(3, True)
        entities.tree.header().resizeSection(2, round(self.font_pt * 7))
        if not self.settings.search:
            source.find_edit.hide()
        # Long one-line labels may clip rather than widen their pane past the screen.
        source.nav_label.setMinimumWidth(1)
        pane = w.timeline_pane
        if isinstance(pane, TimelinePane):
            # The canvas lays lanes out in fixed pixel rows: a moderate scale keeps labels
            # inside them. Pinch-zoom, not type size, is how a visitor reads the timeline.
            font = QFont(self._saved_font)
            font.setPointSizeF(self._saved_font.pointSizeF() * min(self.settings.type_scale, 1.25))
            pane.canvas.setFont(font)
            pane.range_label.setMinimumWidth(1)
            for label in pane.findChildren(QLabel):
                if label.text().startswith("●"):  # the mark legend: no room for it here
                    label.hide()

    def touch_scroll(self, view: QAbstractScrollArea) -> None:
        """Kinetic drag-scrolling on a scroll area (once); taps still click."""
        viewport = view.viewport()
        if id(viewport) in self._scrolled:
            return
        self._scrolled.add(id(viewport))
        if isinstance(view, QAbstractItemView):
            view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(viewport)
        props = scroller.scrollerProperties()
        off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
        props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.12)
        scroller.setScrollerProperties(props)

    # --- layout and start view --------------------------------------------------------
    def apply_layout(self) -> None:
        """Timeline across the top, entities left, text centre, event right, sized to the screen."""
        w = self.window
        width, height = max(w.width(), 800), max(w.height(), 600)
        w.resizeDocks([w.timeline_dock], [round(height * 0.48)], Qt.Orientation.Vertical)
        w.resizeDocks(
            [w.entity_dock, w.detail_dock],
            [round(width * 0.21), round(width * 0.31)],
            Qt.Orientation.Horizontal,
        )
        if self.caption.isVisible():
            self.place_caption()

    def place_caption(self) -> None:
        # The welcome card fills the event column, empty while nothing is selected; a tour
        # caption sits over the entity list, the one pane the tour does not use, so the
        # event's passages and its detail stay in view.
        w = self.window
        if self._tour_index < 0:
            self.caption.place(w.detail_dock, narrow=True, middle=True)
        else:
            self.caption.place(w.entity_dock, narrow=True)

    def reset_to_start_view(self) -> None:
        """The whole war on the timeline, nothing selected, no filters, panes at the top."""
        w = self.window
        self.pin_pad.hide()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        if w.search_bar is not None:
            bar = w.search_bar
            line_edit = getattr(bar, "line_edit", None)
            if line_edit is not None:
                line_edit.clear()
            popup_widget = getattr(bar, "popup", None)
            if isinstance(popup_widget, QWidget):
                popup_widget.hide()
        w.entity_pane.filter_edit.clear()
        w.selection.clear()
        if self._start_source is not None:
            w.selection.set_source(self._start_source)
        pane = w.timeline_pane
        if isinstance(pane, TimelinePane):
            if self._start_lanes is not None:
                pane.set_lane_mode(self._start_lanes)
            pane.set_julian(False)
            pane.canvas.collapsed.clear()
            pane.canvas.fit_core()  # the war itself; fit_all also spans stray outliers
        w.source_pane.text.verticalScrollBar().setValue(0)
        w.entity_pane.tree.scrollToTop()
        focus = w.focusWidget()
        if focus is not None:
            focus.clearFocus()
        self.apply_layout()

    # --- attract loop -----------------------------------------------------------------
    def start_attract(self) -> None:
        """Show the welcome card and, with the tour on, step through the key events."""
        self.idle_timer.stop()
        self._attract = True
        self._tour_index = -1
        self._show_welcome()
        if self.settings.tour and self.stops:
            self.tour_timer.start()
        self.attractStarted.emit()

    def stop_attract(self) -> None:
        """A visitor is here: hide the caption, keep what the tour shows, watch for idleness."""
        was = self._attract
        self._attract = False
        self.tour_timer.stop()
        self.caption.hide()
        if self._locked:
            self.idle_timer.start()
        if was:
            self.attractEnded.emit()

    def advance_tour(self) -> None:
        """The next stop; after the last one, the start view and the welcome card again."""
        if not self.stops:
            return
        self._tour_index += 1
        if self._tour_index >= len(self.stops):
            self.reset_to_start_view()
            self._tour_index = -1
            self._show_welcome()
            self.tourAdvanced.emit(-1, None)
            return
        stop = self.stops[self._tour_index]
        self.window.selection.set_event(stop.event_id)
        self.caption.show_caption(
            self.labels.format("tour_heading", n=self._tour_index + 1, total=len(self.stops)),
            stop.title,
            self.labels.date(stop.earliest, stop.latest, stop.precision),
            self.labels["touch_to_explore"],
        )
        self.place_caption()
        self.tourAdvanced.emit(self._tour_index, stop.event_id)

    def _show_welcome(self) -> None:
        self.caption.show_caption(
            "",
            self.settings.title or self.labels["welcome_title"],
            self.labels["welcome_body"],
            self.labels["touch_to_explore"],
        )
        self.place_caption()

    @Slot()
    def _on_tour_timer_timeout(self) -> None:
        self.advance_tour()

    @Slot()
    def _on_idle_timer_timeout(self) -> None:
        if not self._locked:
            return
        self.reset_to_start_view()
        self.idleReset.emit()
        self.start_attract()

    # --- exit -----------------------------------------------------------------------------
    def request_exit(self) -> None:
        """Open the PIN pad (the exit gesture and the key chord end here)."""
        if not self._locked or self.pin_pad.isVisible():
            return
        self.stop_attract()
        self.pin_pad.open()
        self.exitRequested.emit()

    def try_pin(self, pin: str) -> bool:
        """Unlock and quit with the right PIN; with a wrong one, stay locked and say so."""
        if hmac.compare_digest(pin.encode(), self.settings.pin.encode()):
            self.pin_pad.hide()
            self.release()
            self.unlocked.emit()
            self._quit()
            return True
        self.pin_pad.reject()
        self.pinRejected.emit()
        return False

    @Slot(str)
    def _on_pin_pad_submitted(self, pin: str) -> None:
        self.try_pin(pin)

    @Slot()
    def _on_pin_pad_cancelled(self) -> None:
        self.idle_timer.start()

    @Slot()
    def _on_filter_menu_about_to_show(self) -> None:
        # Runs after the filter bar has rebuilt its menu: drop what a kiosk cannot use
        # (a date dialog, which the kiosk blocks, and the reviewers' statuses).
        menu = getattr(self.window.filter_bar, "menu", None)
        if isinstance(menu, QMenu):
            for action in menu.actions():
                text = action.text().lower()
                if text.startswith("date range") or text.startswith("review"):
                    action.setVisible(False)

    @Slot(int)
    def _on_source_stack_current_changed(self, _index: int) -> None:
        for editor in self.window.source_pane.stack.findChildren(QAbstractScrollArea):
            self.touch_scroll(editor)

    # --- the guard ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype not in _WATCHED:
            return False
        if etype == QEvent.Type.ContextMenu:
            return True
        if etype in (QEvent.Type.Polish, QEvent.Type.Show):
            if isinstance(watched, QDialog):
                self._suppress_dialog(watched, etype)
            return False
        if etype == QEvent.Type.Quit:
            return self._locked
        if etype in _WINDOW_EVENTS:
            if watched is not self.window:
                return False
            if etype == QEvent.Type.Close:
                if self._locked:
                    event.ignore()
                    return True
            elif etype == QEvent.Type.WindowStateChange and self._locked:
                QTimer.singleShot(0, self, self._keep_full_screen)
            elif etype == QEvent.Type.Resize:
                QTimer.singleShot(0, self, self.apply_layout)
            return False
        if etype in _KEY_EVENTS:
            assert isinstance(event, QKeyEvent)
            return self._on_key(event)
        if etype in _POINTER_EVENTS:
            return self._on_pointer(watched, event)
        return False

    def _keep_full_screen(self) -> None:
        """Undo a minimise or an un-full-screen the window manager did (Win+Down, a display
        reconnected); a few attempts at most, so a platform that refuses cannot spin us."""
        w = self.window
        if not (self._locked and self._fullscreen and w.isVisible()):
            return
        if w.isFullScreen() and not w.isMinimized():
            self._refullscreen_attempts = 0
        elif self._refullscreen_attempts < 3:
            self._refullscreen_attempts += 1
            w.showFullScreen()

    def _suppress_dialog(self, dialog: QDialog, etype: QEvent.Type) -> None:
        # Polish comes after the native window exists but before it is shown: from then on
        # every show() stays off screen. On Show, reject it from the event loop: exec()
        # returns Rejected (rejecting inside show() would leave exec() waiting forever).
        dialog.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        if etype == QEvent.Type.Show:
            dialog.setWindowOpacity(0.0)
            QTimer.singleShot(0, dialog, dialog.reject)
            name = dialog.metaObject().className()
            log.info("kiosk: blocked a dialog (%s)", name)
            self.dialogBlocked.emit(name)

    def _on_key(self, event: QKeyEvent) -> bool:
        etype = event.type()
        if etype == QEvent.Type.KeyPress:
            self._activity()
            if (
                self._exit_chord is not None
                and QKeySequence(event.keyCombination()) == self._exit_chord
            ):
                self.request_exit()
                return True
            if self._attract:
                self.stop_attract()
                return True
            if self.pin_pad.isVisible() and event.key() == Qt.Key.Key_Escape:
                self.pin_pad.hide()
                self.idle_timer.start()
                return True
        if is_escape_key(event):
            event.accept()  # a ShortcutOverride accepted: no shortcut fires for it either
            return True
        return False

    def _on_pointer(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        first = self._first_sight(event)
        if etype in _PRESSES and first:
            self._swallow = False
            if self._is_tap(event):
                self._count_corner_tap(event)
        if first and self._is_activity(event):
            self._activity()
            if self._attract:
                self.stop_attract()
                if etype in _PRESSES:
                    self._swallow = True  # this touch woke the kiosk; it selects nothing
                    return True
        if self._swallow:
            if etype in _ENDS:
                self._swallow = False
            return etype != QEvent.Type.Wheel and etype != QEvent.Type.NativeGesture
        return False

    def _activity(self) -> None:
        if self._locked and not self._attract:
            self.idle_timer.start()

    def _first_sight(self, event: QEvent) -> bool:
        """Whether this input event is new (Qt hands the same one to the window and then to
        each widget it propagates through; this filter sees every hand-over)."""
        stamp: tuple[object, ...] = (event.type(),)
        if isinstance(event, QSinglePointEvent):
            p = event.globalPosition()
            stamp += (event.timestamp(), round(p.x()), round(p.y()), event.buttons())
        elif isinstance(event, QTouchEvent):
            pts = event.points()
            q = pts[0].globalPosition().toPoint() if pts else QPoint()
            stamp += (event.timestamp(), q.x(), q.y())
        else:
            return True
        if stamp in self._seen:
            return False
        self._seen.append(stamp)
        return True

    def _is_activity(self, event: QEvent) -> bool:
        etype = event.type()
        if etype != QEvent.Type.MouseMove:
            return etype not in _ENDS
        assert isinstance(event, QMouseEvent)
        pos = event.globalPosition().toPoint()
        if event.buttons() != Qt.MouseButton.NoButton:
            self._last_pointer = pos
            return True
        last, self._last_pointer = self._last_pointer, pos
        return last is not None and (pos - last).manhattanLength() > MOVE_SLOP

    @staticmethod
    def _is_tap(event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            return True
        if isinstance(event, QMouseEvent):
            # A touch the platform or Qt turned into a mouse press was counted as a touch.
            return (
                event.type() == QEvent.Type.MouseButtonPress
                and event.source() == Qt.MouseEventSource.MouseEventNotSynthesized
                and event.button() == Qt.MouseButton.LeftButton
            )
        return False

    def _count_corner_tap(self, event: QEvent) -> None:
        if isinstance(event, QTouchEvent):
            pts = event.points()
            if not pts:
                return
            global_pos = pts[0].globalPosition().toPoint()
        elif isinstance(event, QSinglePointEvent):
            global_pos = event.globalPosition().toPoint()
        else:
            return
        local = self.window.mapFromGlobal(global_pos)
        corner = self.settings.exit_corner
        if not (0 <= local.x() < corner and 0 <= local.y() < corner):
            self._corner_taps.clear()
            return
        now = time.monotonic()
        taps = [t for t in self._corner_taps if now - t <= self.settings.exit_tap_seconds]
        taps.append(now)
        self._corner_taps = taps
        if len(taps) >= self.settings.exit_taps:
            self._corner_taps = []
            QTimer.singleShot(0, self, self.request_exit)


def _first_combination(text: str) -> QKeySequence | None:
    seq = QKeySequence(text)
    return None if seq.isEmpty() else QKeySequence(seq.toString().split(",")[0].strip())


def _exit_application() -> None:
    # exit(), not quit(): quit() asks every window to close, and MainWindow saves its
    # layout on close, which would store the kiosk layout as the researcher's layout.
    QApplication.exit(0)


__all__ = ["KioskController", "is_escape_key"]

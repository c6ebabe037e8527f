"""Application setup: Qt application, font, palette, database, main window, and the
command-line modes (``--select``, ``--screenshot``, ``--dark``/``--light``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine

from db.resources import resource_path
from desktop import theme

#: Set to 1 to quit as soon as the window has painted once, to ``desk`` to quit once the
#: reviewer's desk (review panel, library) has attached and painted too (start-up benchmark).
EXIT_AFTER_PAINT_ENV = "CHRONOSCOPE_EXIT_AFTER_PAINT"


_OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints()",)


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform warns, once per window change, about hints it cannot honour."""

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in _OFFSCREEN_NOISE:
            return
        print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def create_application(*, offscreen: bool = False, dark: bool | None = None) -> QApplication:
    """The QApplication, set up once: high-DPI, names, bundled font, palette.

    ``dark`` None follows the system's colour scheme.
    """
    existing = QApplication.instance()
    if existing is None:
        if offscreen:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
            _quiet_offscreen_warnings()
        # Fractional scale factors (125 %, 150 %) as the screen reports them: crisp text.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
    else:
        assert isinstance(existing, QApplication)
        app = existing
    from desktop.paths import ensure_names

    ensure_names()
    app.setApplicationDisplayName("Chronoscope")
    app.setWindowIcon(QIcon(str(resource_path("icons", "chronoscope.png"))))
    if not app.property("chronoscopeFonts"):
        theme.load_fonts()
        app.setProperty("chronoscopeFonts", True)
    theme.apply_palette(theme.system_prefers_dark() if dark is None else dark)
    return app


def parse_size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    try:
        return max(320, int(w)), max(240, int(h))
    except ValueError:
        raise SystemExit(f"chronoscope: --size wants WIDTHxHEIGHT, not {text!r}") from None


def apply_select(window: object, engine: Engine, spec: str | None) -> str | None:
    """Apply ``--select kind:id``; returns an error message, or None when it worked."""
    if not spec:
        return None
    from db import query
    from desktop.mainwindow import MainWindow

    assert isinstance(window, MainWindow)
    kind, _, ident = spec.partition(":")
    if kind == "event":
        if query.event_detail(engine, ident) is None:
            return f"no event {ident!r}"
        window.selection.set_event(ident)
    elif kind == "entity":
        if not query.entity_rows(engine, [ident]):
            return f"no entity {ident!r}"
        window.selection.set_entity(ident)
    elif kind == "source":
        if ident not in {s.id for s in query.sources(engine)}:
            return f"no source {ident!r}"
        window.selection.set_source(ident)
    else:
        return f"--select wants event:ID, entity:ID or source:ID, not {spec!r}"
    return None


class _AfterPaint(QObject):
    """Calls ``then`` on the next turn of the event loop once ``widget`` has painted.

    The window paints with its children in one pass, so by then the whole frame is
    on screen."""

    def __init__(self, widget: QObject, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def _painted_and_quit() -> None:
    """Start-up measurement: print when the window had painted (on the system-wide
    monotonic clock, so the parent process can subtract its spawn time) and quit."""
    print(f"chronoscope: painted at monotonic {time.monotonic():.6f}", flush=True)
    QApplication.quit()


def run(args: argparse.Namespace, database: Callable[[argparse.Namespace], Path]) -> int:
    """Open the GUI (or render a screenshot) on the database ``database(args)`` names."""
    dark = True if args.dark else False if args.light else None
    screenshot = getattr(args, "screenshot", None)
    app = create_application(offscreen=screenshot is not None, dark=dark)

    from db.database import readonly_engine
    from desktop.mainwindow import MainWindow
    from desktop.selection import SelectionContext

    engine = readonly_engine(database(args))
    selection = SelectionContext()
    kiosk = bool(getattr(args, "kiosk", False))
    window = MainWindow(engine, selection, restore_state=screenshot is None and not kiosk)
    controller = None  # the kiosk controller lives as long as the window

    if screenshot is not None:
        w, h = parse_size(getattr(args, "size", "1600x1000") or "1600x1000")
        window.resize(w, h)
        window.show()
        window.reset_layout()
        if kiosk:
            controller = _enter_kiosk(window, args, fullscreen=False)
        app.processEvents()
        # Select once the panes have their final size, so the text scrolls to the right place.
        problem = apply_select(window, engine, getattr(args, "select", None))
        if problem:
            print(f"chronoscope: {problem}", file=sys.stderr)
        for _ in range(3):
            app.processEvents()
        image = window.grab()
        ok = image.save(str(screenshot))
        del controller
        window.close()
        engine.dispose()
        if not ok:
            print(f"chronoscope: could not write {screenshot}", file=sys.stderr)
            return 1
        print(f"wrote {screenshot} ({image.width()}x{image.height()})")
        return 0

    problem = apply_select(window, engine, getattr(args, "select", None))
    if problem:
        print(f"chronoscope: {problem}", file=sys.stderr)
    exit_after = os.environ.get(EXIT_AFTER_PAINT_ENV)
    if kiosk:
        # A museum kiosk: no annotation, no import or export, no way out but the PIN.
        controller = _enter_kiosk(window, args, fullscreen=True)
        if exit_after in ("1", "desk"):
            _AfterPaint(window, _painted_and_quit)
        QTimer.singleShot(300, window.source_pane.warm)
        code = app.exec()
        del controller
        engine.dispose()
        return int(code)
    desks: list[Desk] = []

    def attach_desk() -> None:
        # The reviewer's workspace, the review panel and the library take a quarter of a
        # second at start (imports, the workspace's progress count): the window shows its
        # data first and they follow on the next turn of the event loop.
        desks.append(Desk(window))
        if exit_after == "desk":  # start-up measurement: until the review panel has painted
            _AfterPaint(window, _painted_and_quit)
            window.update()

    # "1" (start-up measurement): quit after the first paint, before the desk attaches.
    _AfterPaint(window, _painted_and_quit if exit_after == "1" else attach_desk)
    window.show()
    QTimer.singleShot(300, window.source_pane.warm)
    code = app.exec()
    if desks:
        desks[0].close()
    else:
        engine.dispose()
    return int(code)


class Desk(QObject):
    """The researcher's and reviewer's window with what it works on: the database, the
    reviewer's workspace (annotations) and the library of imported documents. An import
    or removal builds a new database; the desk then reopens the window on it."""

    def __init__(self, window: object) -> None:
        super().__init__()
        from desktop.mainwindow import MainWindow

        assert isinstance(window, MainWindow)
        self.window = window
        self.annotations: object | None = None
        self.library: object | None = None
        self._attach()

    def _attach(self) -> None:
        from db.library import Library
        from db.resources import corpus_dir
        from db.workspace import open_workspace
        from desktop import paths
        from desktop.annotations import AnnotationController
        from desktop.library import LibraryController

        w = self.window
        workspace = open_workspace(paths.data_dir() / "workspace.sqlite")
        annotations = AnnotationController(w.engine, workspace, w.selection, w)
        annotations.install(w)
        annotations.connect_source_pane(w.source_pane)
        library = LibraryController(
            Library(paths.data_dir() / "library", corpus_dir()), w.engine, w.selection, w
        )
        library.install(w)
        library.databaseChanged.connect(self._on_library_database_changed)
        self.annotations, self.library = annotations, library

    def _detach(self) -> None:
        from desktop.annotations import AnnotationController

        if isinstance(self.annotations, AnnotationController):
            self.annotations.close()
        self.annotations = self.library = None

    @Slot(object)
    def _on_library_database_changed(self, path: Path | None) -> None:
        """Reopen the window on the new database, keeping the selection and filters."""
        from db.cache import ensure_bundled_database
        from db.database import readonly_engine
        from desktop.mainwindow import MainWindow
        from desktop.paths import cache_dir
        from desktop.selection import SelectionContext

        old = self.window
        target = path if path is not None else ensure_bundled_database(cache_dir())
        event, filters = old.selection.event, old.selection.filters
        old.save_layout()
        self._detach()
        engine = readonly_engine(Path(target))
        window = MainWindow(engine, SelectionContext(), restore_state=True)
        window.selection.set_filters(filters)
        self.window = window
        self._attach()
        window.show()
        old_engine = old.engine
        old.hide()
        old.deleteLater()
        old_engine.dispose()
        if event is not None:
            window.selection.set_event(event)

    def close(self) -> None:
        self._detach()
        self.window.engine.dispose()


def _enter_kiosk(window: object, args: argparse.Namespace, *, fullscreen: bool) -> object:
    """Lock the window into the museum kiosk (desktop.kiosk)."""
    from desktop.kiosk import enter_kiosk
    from desktop.mainwindow import MainWindow

    assert isinstance(window, MainWindow)
    return enter_kiosk(window, getattr(args, "kiosk_settings", None), fullscreen=fullscreen)

"""Kiosk mode on the real main window and the real corpus, driven with clicks, keys and gestures.

The kiosk must lock the window (no way out but the exit gesture and the PIN),
block context menus, dialogs and external links, return to the start view after
the idle time, run the guided tour through the key events, and keep touch
working: pinch-zoom on the timeline, kinetic scrolling, tap to select.
Timeouts come from a settings file in tmp_path, so nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QNativeGestureEvent, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QMessageBox,
    QScroller,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Event

QUIET = {"idle_timeout": "60", "tour": "off"}


@pytest.fixture()
def make_kiosk(qtbot: Any, engine: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Build the main window on the corpus and enter the kiosk with these settings."""
    from desktop.kiosk import enter_kiosk
    from desktop.mainwindow import MainWindow
    from desktop.selection import SelectionContext

    made: list[Any] = []

    def make(**settings: str) -> tuple[Any, Any, list[int]]:
        ini = tmp_path / "kiosk.ini"
        body = "\n".join(f"{k} = {v}" for k, v in {**QUIET, **settings}.items())
        ini.write_text(f"[kiosk]\n{body}\n", encoding="utf-8")
        window = MainWindow(engine, SelectionContext(), restore_state=False)
        qtbot.addWidget(window)
        quits: list[int] = []
        kiosk = enter_kiosk(window, ini, quit_app=lambda: quits.append(1))
        made.append(kiosk)
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.isFullScreen, timeout=2000)
        return window, kiosk, quits

    yield make
    for kiosk in made:
        kiosk.release()  # before pytest-qt closes the window, which the kiosk would refuse


def _wake(qtbot: Any, window: Any, kiosk: Any) -> None:
    """A visitor touches the screen: the attract loop ends."""
    with qtbot.waitSignal(kiosk.attractEnded, timeout=2000):
        qtbot.mouseClick(window.source_pane.text.viewport(), Qt.MouseButton.LeftButton)


# --- settings and tour data (no window) -----------------------------------------------------
def test_settings_layering_and_bad_values(tmp_path: Path) -> None:
    from desktop.kiosk import load_settings

    defaults = load_settings(tmp_path / "missing.ini")
    assert defaults.idle_timeout == 120 and defaults.tour and defaults.pin == "1918"
    ini = tmp_path / "kiosk.ini"
    ini.write_text(
        "[kiosk]\nidle_timeout = 0.5 ; short\ntour = off\npin = 12ab\n"
        "language = ru\ntype_scale = 9\n",
        encoding="utf-8",
    )
    s = load_settings(ini)
    assert s.idle_timeout == 0.5 and s.tour is False and s.language == "ru"
    assert s.pin == "1918", "a PIN that is not 4-12 digits keeps the default"
    assert s.type_scale == defaults.type_scale, "an absurd type scale keeps the default"
    assert s.tour_step == defaults.tour_step, "keys the file leaves out keep the default"


def test_kiosk_ini_beside_the_executable_and_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.kiosk import load_settings

    app_dir = tmp_path / "Chronoscope"
    app_dir.mkdir()
    (app_dir / "kiosk.ini").write_text("[kiosk]\npin = 5555\ntour_step = 7\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", [str(app_dir / "Chronoscope"), "--kiosk"])
    beside = load_settings(None)
    assert beside.pin == "5555" and beside.tour_step == 7
    given = tmp_path / "given.ini"
    given.write_text("[kiosk]\npin = 7777\n", encoding="utf-8")
    assert load_settings(given).pin == "7777"


@pytest.mark.parametrize("language", ["en", "ru", "hy", "az", "tr"])
def test_every_language_has_every_label(language: str) -> None:
    from desktop.kiosk import Labels

    en = Labels("en")
    labels = Labels(language)
    keys = [k for k in en._strings if isinstance(en._strings[k], str)]
    assert all(labels[k] and labels[k] != k for k in keys)
    assert language == "en" or labels["pin_title"] != en["pin_title"]
    # 30 March 1918 (day 700258), to the day
    assert "1918" in labels.date(700258, 700258, "day")
    assert labels.format("tour_heading", n=2, total=21).count("2") >= 2


def test_tour_stops_are_the_key_events_in_date_order(engine: Any) -> None:
    from desktop.kiosk import tour_stops

    stops = tour_stops(engine)
    assert len(stops) >= 5
    with Session(engine) as s:
        keys = set(s.scalars(select(Event.id).where(Event.key_event.is_(True))))
    assert {stop.event_id for stop in stops} == keys
    assert [stop.earliest for stop in stops] == sorted(stop.earliest for stop in stops)


# --- the locked window ----------------------------------------------------------------------
def test_enter_kiosk_locks_the_window(make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk()
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not window.menuBar().isVisible()
    for dock in window.findChildren(QDockWidget):
        assert dock.features() == QDockWidget.DockWidgetFeature.NoDockWidgetFeatures
        assert not dock.isFloating()
        assert dock.titleBarWidget() is not None and dock.titleBarWidget().height() == 0
    assert not window.actions_["quit"].isEnabled() and not window.actions_["quit"].shortcuts()
    assert not window.actions_["about"].isEnabled()
    # The start view is the attract loop's welcome card.
    assert kiosk.attract_active and kiosk.caption.isVisible()
    # Touch: kinetic scrolling on the lists and the text, and touch-sized buttons.
    for view in (window.entity_pane.tree, window.source_pane.text, window.detail_pane.accounts):
        assert QScroller.hasScroller(view.viewport())
    assert window.timeline_pane.fit_button.height() >= 48
    assert QApplication.font().pointSizeF() >= 1.4 * kiosk._saved_font.pointSizeF()


def test_escape_keys_and_closing_are_ignored(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, quits = make_kiosk()
    _wake(qtbot, window, kiosk)
    mods = Qt.KeyboardModifier
    keys = [
        (Qt.Key.Key_Escape, mods.NoModifier),
        (Qt.Key.Key_F11, mods.NoModifier),
        (Qt.Key.Key_F4, mods.AltModifier),
        (Qt.Key.Key_Q, mods.ControlModifier),
        (Qt.Key.Key_W, mods.ControlModifier),
        (Qt.Key.Key_Tab, mods.AltModifier),
    ]
    tree = window.entity_pane.tree
    tree.setFocus()
    for key, modifier in keys:
        for target in (window, tree, window.timeline_pane.canvas):
            qtbot.keyClick(target, key, modifier)
            QApplication.processEvents()
            assert window.isVisible() and window.isFullScreen(), (key, modifier, target)
    # Minimising (Win+Down, a window manager) is undone.
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized(), timeout=2000)
    # The quit action is disabled; were it triggered anyway, closing is refused.
    window.actions_["quit"].trigger()
    assert window.close() is False
    QApplication.processEvents()
    assert window.isVisible() and window.isFullScreen()
    assert kiosk.locked and not quits


def test_no_context_menu_dialog_or_external_link(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk()
    _wake(qtbot, window, kiosk)
    leaked: list[str] = []

    def close_leaks() -> None:
        # A safety net so a failure cannot hang the test in a nested event loop.
        popup = QApplication.activePopupWidget()
        if popup is not None:
            leaked.append(type(popup).__name__)
            popup.close()
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                leaked.append(type(w).__name__)
                w.reject()

    net = QTimer()
    net.setInterval(1500)
    net.timeout.connect(close_leaks)
    net.start()
    try:
        targets: list[QWidget] = [
            window,
            window.entity_pane.tree.viewport(),
            window.source_pane.text.viewport(),
            window.detail_pane.accounts.viewport(),
            window.timeline_pane.canvas,
            window.entity_pane.filter_edit,
        ]
        for target in targets:
            pos = target.rect().center()
            event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, target.mapToGlobal(pos))
            QApplication.sendEvent(target, event)
            QApplication.processEvents()
            assert QApplication.activePopupWidget() is None, target

        with qtbot.waitSignal(kiosk.dialogBlocked, timeout=2000):
            result = QMessageBox.question(window, "Quit?", "Really?")
        assert result != QMessageBox.StandardButton.Yes
        with qtbot.waitSignal(kiosk.dialogBlocked, timeout=2000):
            name, _filter = QFileDialog.getOpenFileName(window, "Open a database")
        assert name == ""
        dialog = QDialog(window)
        with qtbot.waitSignal(kiosk.dialogBlocked, timeout=2000):
            dialog.show()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
        assert window.isVisible() and not leaked

        for url in ("https://example.org/", "mailto:someone@example.org", "file:///etc/passwd"):
            assert QDesktopServices.openUrl(QUrl(url))  # handled ... by dropping it
        assert [u.scheme() for u in kiosk.dropped_urls] == ["https", "mailto", "file"]
    finally:
        net.stop()


# --- idle reset and the tour -------------------------------------------------------------------
def test_idle_reset_restores_the_start_view(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk(idle_timeout="0.4")
    canvas = window.timeline_pane.canvas
    start_range = canvas.visible_range()
    _wake(qtbot, window, kiosk)
    assert not kiosk.caption.isVisible()

    # A visitor explores: an event, a kind filter, a zoom, a typed entity filter.
    sel = window.selection
    stop = kiosk.stops[3]
    sel.set_event(stop.event_id)
    sel.update_filters(kinds=frozenset({"battle"}))
    canvas.zoom(4.0)
    window.entity_pane.filter_edit.setText("Shusha")
    assert canvas.visible_range() != start_range

    with qtbot.waitSignal(kiosk.idleReset, timeout=5000):
        pass
    assert sel.event is None and sel.entity is None and sel.passage is None
    assert sel.filters.is_empty()
    assert canvas.visible_range() == pytest.approx(start_range)
    assert window.entity_pane.filter_edit.text() == ""
    assert window.detail_pane.detail is None
    assert kiosk.attract_active and kiosk.caption.isVisible()
    assert window.isFullScreen()


def test_input_postpones_the_idle_reset(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk(idle_timeout="0.5")
    _wake(qtbot, window, kiosk)
    fired: list[int] = []
    kiosk.idleReset.connect(lambda: fired.append(1))
    kiosk.idle_timer.stop()
    kiosk.idle_timer.setInterval(60_000)
    qtbot.keyClick(window.entity_pane.tree, Qt.Key.Key_Down)
    assert kiosk.idle_timer.isActive() and kiosk.idle_timer.remainingTime() > 50_000
    assert not fired


def test_tour_advances_through_the_key_events(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk(tour="on", tour_step="0.05")
    stops = kiosk.stops
    for i in (0, 1):
        with qtbot.waitSignal(kiosk.tourAdvanced, timeout=3000) as blocker:
            pass
        assert blocker.args == [i, stops[i].event_id]
        assert window.selection.event == stops[i].event_id
        assert kiosk.caption.title.text() == stops[i].title
        assert window.detail_pane.detail is not None
        assert window.source_pane.marked_evidence, "the event's passages are highlighted"

    # A touch ends the tour; it is not passed on (a waking touch selects nothing).
    shown = window.selection.event
    tree = window.entity_pane.tree
    entity_row = _visible_entity_row(qtbot, tree)
    with qtbot.waitSignal(kiosk.attractEnded, timeout=2000):
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=entity_row)
    assert not kiosk.tour_timer.isActive() and not kiosk.caption.isVisible()
    assert window.selection.event == shown and window.selection.entity is None


def test_tour_wraps_back_to_the_start_view(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk(tour="on", tour_step="60")
    kiosk._tour_index = len(kiosk.stops) - 2
    kiosk.advance_tour()
    assert window.selection.event == kiosk.stops[-1].event_id
    with qtbot.waitSignal(kiosk.tourAdvanced, timeout=1000) as blocker:
        kiosk.advance_tour()
    assert blocker.args == [-1, None]
    assert window.selection.event is None and kiosk.caption.isVisible()


# --- touch ---------------------------------------------------------------------------------------
def _pinch(canvas: QWidget, value: float) -> None:
    local = QPointF(canvas.width() * 0.6, canvas.height() / 2)
    glob = QPointF(canvas.mapToGlobal(local.toPoint()))
    event = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        local,
        local,
        glob,
        value,
        QPointF(),
    )
    QApplication.sendEvent(canvas, event)


def test_pinch_zooms_the_timeline(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk()
    canvas = window.timeline_pane.canvas
    start, end = canvas.visible_range()
    _pinch(canvas, 0.5)  # fingers apart: zoom in (also wakes the kiosk)
    s2, e2 = canvas.visible_range()
    assert e2 - s2 < (end - start) * 0.8
    assert not kiosk.attract_active
    _pinch(canvas, -0.3)  # fingers together: zoom out
    s3, e3 = canvas.visible_range()
    assert e3 - s3 > e2 - s2


def _touch_pinch(canvas: QWidget, device: QPointingDevice, spread: int) -> None:
    """Two fingers on the canvas moving apart (spread > 0) or together."""
    c = canvas.rect().center()
    gap = 40 if spread > 0 else 160

    def points(d: int) -> tuple[QPoint, QPoint]:
        return QPoint(c.x() - d, c.y()), QPoint(c.x() + d, c.y())

    a, b = points(gap)
    QTest.touchEvent(canvas, device).press(0, a, canvas).press(1, b, canvas).commit()
    for step in range(1, 8):
        a, b = points(gap + step * spread)
        QTest.touchEvent(canvas, device).move(0, a, canvas).move(1, b, canvas).commit()
        QApplication.processEvents()
    QTest.touchEvent(canvas, device).release(0, a, canvas).release(1, b, canvas).commit()
    QApplication.processEvents()


def test_two_finger_touch_pinch_zooms_the_timeline(make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk()
    canvas = window.timeline_pane.canvas
    device = QTest.createTouchDevice()
    start, end = canvas.visible_range()
    _touch_pinch(canvas, device, 15)  # the first touch only wakes the kiosk
    assert not kiosk.attract_active and canvas.visible_range() == (start, end)
    _touch_pinch(canvas, device, 15)
    s2, e2 = canvas.visible_range()
    assert e2 - s2 < (end - start) * 0.95
    _touch_pinch(canvas, device, -15)
    s3, e3 = canvas.visible_range()
    assert e3 - s3 > e2 - s2


def test_tap_selects_through_the_kinetic_scroller(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, _ = make_kiosk()
    _wake(qtbot, window, kiosk)
    tree = window.entity_pane.tree
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=_visible_entity_row(qtbot, tree)
    )
    qtbot.waitUntil(lambda: window.selection.entity is not None, timeout=2000)


def _visible_entity_row(qtbot: Any, tree: Any) -> QPoint:
    """The centre of an entity row (not a type group) scrolled into the tree's viewport."""
    group = tree.model().index(0, 0)
    tree.expand(group)
    child = tree.model().index(0, 0, group)
    tree.scrollTo(child)
    qtbot.waitUntil(lambda: tree.viewport().rect().contains(tree.visualRect(child).center()))
    return QPoint(tree.visualRect(child).center())


# --- the way out ---------------------------------------------------------------------------------
def _corner_taps(qtbot: Any, window: QWidget, n: int) -> None:
    for _ in range(n):
        qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))


def test_pin_exit_works_only_with_the_right_pin(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, quits = make_kiosk(pin="2468")
    pad = kiosk.pin_pad
    _corner_taps(qtbot, window, 4)
    QApplication.processEvents()
    assert not pad.isVisible(), "four taps are not the gesture"
    with qtbot.waitSignal(kiosk.exitRequested, timeout=2000):
        _corner_taps(qtbot, window, 1)
    assert pad.isVisible()
    assert isinstance(pad.parentWidget(), type(window)) and not isinstance(pad, QDialog)

    def enter(pin: str) -> None:
        for digit in pin:
            qtbot.mouseClick(pad.digit_buttons[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(kiosk.pinRejected, timeout=2000):
        enter("1918")  # the shipped default is not this kiosk's PIN
    assert pad.isVisible() and pad.message.text() and pad.entered == ""
    assert kiosk.locked and window.isVisible() and not quits
    assert window.close() is False

    with qtbot.waitSignal(kiosk.unlocked, timeout=2000):
        enter("2468")
    assert quits == [1] and not kiosk.locked and not pad.isVisible()
    assert window.close() is True


def test_exit_key_chord_and_cancel(qtbot: Any, make_kiosk: Any) -> None:
    window, kiosk, quits = make_kiosk()
    mods = (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
    )
    with qtbot.waitSignal(kiosk.exitRequested, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_K, mods)
    pad = kiosk.pin_pad
    qtbot.mouseClick(pad.cancel_button, Qt.MouseButton.LeftButton)
    assert not pad.isVisible() and kiosk.locked and not quits
    # Corner taps spread over more than the allowed seconds do not count.
    kiosk._corner_taps = [0.0] * 4
    _corner_taps(qtbot, window, 1)
    QApplication.processEvents()
    assert not pad.isVisible()


def test_idle_reset_closes_an_open_pin_pad(qtbot: Any, make_kiosk: Any) -> None:
    _window, kiosk, _ = make_kiosk(idle_timeout="0.3")
    kiosk.request_exit()
    assert kiosk.pin_pad.isVisible()
    with qtbot.waitSignal(kiosk.idleReset, timeout=5000):
        pass
    assert not kiosk.pin_pad.isVisible() and kiosk.locked


def test_quit_event_is_refused_while_locked(make_kiosk: Any) -> None:
    _window, kiosk, _ = make_kiosk()
    event = QEvent(QEvent.Type.Quit)
    assert kiosk.eventFilter(QApplication.instance(), event) is True

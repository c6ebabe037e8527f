"""Annotations on the real corpus, installed in the real main window."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QPlainTextEdit
from sqlalchemy import Engine

from db.workspace import bundled as bundled_db
from db.workspace import effective_events, open_workspace, progress
from db.workspace.exchange import plan_merge, read_import, write_jsonld
from db.workspace.service import AnnotationService
from db.workspace.store import Workspace
from desktop.annotations import AnnotationController


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = open_workspace(tmp_path / "workspace.sqlite")
    yield w
    w.close()


def _point(view: QPlainTextEdit, pos: int) -> QPoint:
    c = view.textCursor()
    c.setPosition(pos)
    return view.cursorRect(c).center()


def test_installed_in_the_main_window_with_a_source_pane_selection(
    qtbot: Any, engine: Engine, ws: Workspace
) -> None:
    from desktop.mainwindow import MainWindow

    win = MainWindow(engine, restore_state=False)
    qtbot.addWidget(win)
    ctl = AnnotationController(engine, ws, win.selection, win)
    ctl.install(win)
    ctl.connect_source_pane(win.source_pane)
    titles = [a.menu().title() for a in win.menuBar().actions() if isinstance(a.menu(), QMenu)]
    assert titles.index("&Edit") == titles.index("&File") + 1
    assert titles[-2:] == ["&Annotations", "&Help"]
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)

    pane = win.source_pane
    view: QPlainTextEdit = pane.text
    sid = pane.source_id
    assert sid is not None and not pane.showing_original
    text = bundled_db.source_text(engine, sid)
    assert text is not None
    m = re.search(r"[A-Z][^.\n]{10,120}\b1[89]\d\d\b[^.\n]*\.", text)
    assert m is not None
    start, end = m.span()
    c = view.textCursor()
    c.setPosition(start)
    view.setTextCursor(c)
    view.ensureCursorVisible()
    c.setPosition(end)
    view.setTextCursor(c)
    view.ensureCursorVisible()
    view.centerCursor()
    vp = view.viewport()
    a, b = _point(view, start), _point(view, end)
    with qtbot.waitSignal(ctl.textSelectionChanged):
        qtbot.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
        qtbot.mouseMove(vp, b)
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
    assert ctl.text_selection == (sid, start, end)

    total = progress(engine, ws).total
    new_id = ctl.new_event_from_selection()
    assert new_id is not None and win.selection.event == new_id
    ev = ctl.effective(new_id)
    assert ev is not None and ev.evidence[0].text == text[start:end] and ev.earliest > 0
    assert progress(engine, ws).total == total + 1
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctl.effective(new_id) is None
    ctl._unsubscribe()


def test_round_trip_and_reanchor_on_the_real_corpus(
    engine: Engine, ws: Workspace, tmp_path: Path
) -> None:
    svc = AnnotationService(ws, engine, reviewer="ana")
    events = effective_events(engine, ws)
    assert len(events) > 50
    for i, ev in enumerate(list(events.values())[:30]):
        svc.apply(svc.set_status(ev.id, ("confirmed", "disputed", "rejected")[i % 3], f"r{i}"))
        if ev.evidence:
            e = ev.evidence[0]
            svc.apply(svc.link_evidence(ev.id, e.source_id, e.start, e.end))
    assert str(progress(engine, ws)).startswith("reviewed 30 of ")
    assert svc.reanchor() == []  # same corpus: everything still anchored
    assert all(r.anchor == "anchored" for r in svc.rows())
    write_jsonld(svc, tmp_path / "x.jsonld")
    other = open_workspace(tmp_path / "o" / "ws.sqlite")
    osvc = AnnotationService(other, engine)
    osvc.apply(plan_merge(osvc, read_import(tmp_path / "x.jsonld", osvc)).edit)
    assert osvc.rows() == svc.rows()
    other.close()

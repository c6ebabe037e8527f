"""The assembled application: window + annotations + library, and the real entry point in a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from db import query
from db.database import readonly_engine
from desktop.app import Desk
from desktop.mainwindow import MainWindow
from desktop.selection import SelectionContext

ROOT = Path(__file__).resolve().parent.parent


def _menus(window: MainWindow) -> dict[str, list[str]]:
    out = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            out[menu.title().replace("&", "")] = [a.text().replace("&", "") for a in menu.actions()]
    return out


@pytest.fixture()
def desk(qtbot, built_db):
    window = MainWindow(readonly_engine(built_db), SelectionContext(), restore_state=False)
    d = Desk(window)  # the desk replaces its window on import: it owns them, not qtbot
    yield d
    d.close()
    d.window.hide()
    d.window.deleteLater()


def test_the_desk_offers_review_import_and_export(desk):
    menus = _menus(desk.window)
    assert list(menus)[:2] == ["File", "Edit"]
    assert {"Import Documents…", "Export…", "Remove Imported Document…"} <= set(menus["File"])
    assert menus["Edit"][0].startswith("Undo")
    assert menus.get("Annotations")


def test_text_selection_reaches_the_annotations(qtbot, desk):
    pane = desk.window.source_pane
    desk.window.selection.set_source("wikipedia-war-short")
    qtbot.waitUntil(lambda: pane.source_id == "wikipedia-war-short")
    cursor = pane.text.textCursor()
    cursor.setPosition(100)
    cursor.setPosition(140, cursor.MoveMode.KeepAnchor)
    with qtbot.waitSignal(pane.textSelectionChanged) as sig:
        pane.text.setTextCursor(cursor)
    source, start, end = sig.args[0]
    assert source == "wikipedia-war-short" and end - start == 40
    assert desk.annotations.text_selection == (source, start, end)


def test_an_import_reopens_the_window_on_the_new_data(qtbot, desk, tmp_path):
    doc = tmp_path / "kars.txt"
    doc.write_text(
        "On 30 October 1920 the Turkish army of Kazim Karabekir took Kars. The garrison surrendered.",
        encoding="utf-8",
    )
    old = desk.window
    old.selection.set_event("march-days")
    with qtbot.waitSignal(desk.library.finished, timeout=60_000):
        desk.library.import_files([doc])
    qtbot.waitUntil(lambda: desk.window is not old)
    assert "kars" in {s.id for s in query.sources(desk.window.engine)}
    assert desk.window.selection.event == "march-days"
    assert "Import Documents…" in _menus(desk.window)["File"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_self_test_in_a_process(built_db):
    result = _run("--db", str(built_db), "--self-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("self-test ok:")


def test_screenshot_in_a_process(built_db, tmp_path):
    shot = tmp_path / "shot.png"
    result = _run("--db", str(built_db), "--screenshot", str(shot), "--select", "event:march-days")
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 50_000
    bad = _run(
        "--db", str(built_db), "--screenshot", str(tmp_path / "x.png"), "--select", "event:nope"
    )
    assert "no event 'nope'" in bad.stderr

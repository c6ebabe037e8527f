"""Import and export from the window: background import with progress and cancel, panes on the new data."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from db import query
from db.database import readonly_engine
from db.library import Library
from desktop.library import LibraryController
from desktop.selection import SelectionContext

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "resources" / "corpus"
KARS = (
    "On 30 October 1920 the Turkish army of Kazim Karabekir took Kars after a short siege. "
    "The Armenian garrison surrendered. On 7 November 1920 Turkish troops occupied Alexandropol."
)


@pytest.fixture()
def controller(qtbot, tmp_path, engine):
    selection = SelectionContext()
    ctl = LibraryController(Library(tmp_path / "library", CORPUS), engine, selection)
    yield ctl
    assert not ctl.busy


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name.endswith(".html"):
        path.write_text(
            f"<html><script>x()</script><h1>Kars</h1><p>{KARS}</p></html>", encoding="utf-8"
        )
    elif name.endswith(".md"):
        path.write_text(f"# Kars\n\n{KARS}\n", encoding="utf-8")
    else:
        path.write_text(KARS, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["kars.txt", "kars.md", "kars.html"])
def test_imported_document_reaches_every_pane(qtbot, controller, tmp_path, name):
    from desktop.mainwindow import MainWindow

    with qtbot.waitSignal(controller.databaseChanged, timeout=60_000) as changed:
        controller.import_files([_write(tmp_path, name)])
    db_path = changed.args[0]
    engine = readonly_engine(db_path)
    window = MainWindow(engine, SelectionContext(), restore_state=False)
    qtbot.addWidget(window)
    assert "kars" in {s.id for s in query.sources(engine)}
    # the source pane can show it, with its events' evidence
    window.selection.set_source("kars")
    qtbot.waitUntil(lambda: window.source_pane.source_id == "kars")
    con = sqlite3.connect(db_path)
    event_id, earliest = con.execute(
        "SELECT e.id, e.earliest FROM evidence v JOIN event e ON e.id = v.event_id"
        " WHERE v.source_id = 'kars' LIMIT 1"
    ).fetchone()
    con.close()
    window.selection.set_event(event_id)
    qtbot.waitUntil(lambda: bool(window.source_pane.marked_evidence))
    # the timeline draws it, and the entity pane counts the new mentions
    marks = window.timeline_pane.data.marks(earliest - 1, earliest + 1)
    assert event_id in {m.id for m in marks}
    before = query.entity_rows(controller.engine, ["kars"])["kars"].mention_count
    assert query.entity_rows(engine, ["kars"])["kars"].mention_count > before
    window.close()
    engine.dispose()


def test_cancel_leaves_nothing_behind(qtbot, controller, tmp_path):
    with qtbot.waitSignal(controller.finished, timeout=60_000) as done:
        controller.import_files([_write(tmp_path, "kars.txt")])
        cancel = controller.progress_dialog.findChild(QPushButton)
        assert cancel.text() == "Cancel"
        cancel.click()
    assert done.args == ["cancelled"]
    assert controller.library.documents() == []
    assert not (tmp_path / "library" / "library.sqlite").exists()


def test_a_bad_file_is_refused_with_its_reason(qtbot, controller, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "desktop.library.QMessageBox.warning", lambda _p, _t, text: shown.append(text)
    )
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01" * 100)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as done:
        controller.import_files([bad])
    assert done.args == ["failed"]
    assert "bad.txt: not a text document" in shown[0]
    assert controller.library.documents() == []


def test_export_honours_the_active_filters(controller, tmp_path):
    controller.selection.update_filters(kinds=frozenset({"treaty"}))
    message = controller.export_to("json", tmp_path / "treaties.json")
    doc = json.loads((tmp_path / "treaties.json").read_text(encoding="utf-8"))
    assert doc["events"] and {e["kind"] for e in doc["events"]} == {"treaty"}
    assert "(filtered)" in message

"""The reviewer's actions in the GUI: every action, its undo and redo, the review panel,
the text-selection flow with a real mouse selection, import/export and backups."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QPlainTextEdit, QUndoView
from sqlalchemy import Engine
from test_workspace_support import TEXT, bundled_engine, make_bundled

from db.workspace import AnnotationService, open_workspace, review_status
from db.workspace.exchange import write_jsonld
from db.workspace.service import Change
from db.workspace.store import Workspace
from desktop.annotations import AnnotationController, TextSelectionTracker
from desktop.annotations.panel import AnnotationPanel
from desktop.selection import SelectionContext


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng = bundled_engine(make_bundled(tmp_path_factory.mktemp("bundled") / "bundled.sqlite"))
    yield eng
    eng.dispose()


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[Workspace]:
    w = open_workspace(tmp_path / "data" / "workspace.sqlite")
    yield w
    w.close()


class Prompts:
    """Stands in for the dialogs: answers queued texts and paths, records messages."""

    def __init__(self) -> None:
        self.texts: list[str | None] = []
        self.paths: list[Path | None] = []
        self.messages: list[tuple[str, str]] = []
        self.decisions: list[Callable[[list[Any]], list[Any] | None]] = []
        self.conflicts_shown: list[list[Any]] = []

    def install(self, ctl: AnnotationController) -> None:
        ctl.ask_text = lambda _t, _l, _m: self.texts.pop(0)
        ctl.ask_open_path = lambda _t, _f: self.paths.pop(0)
        ctl.ask_save_path = lambda _t, _d, _f: self.paths.pop(0)
        ctl.inform = lambda title, text: self.messages.append((title, text))
        ctl.ask_conflicts = self._decide

    def _decide(self, conflicts: list[Any]) -> list[Any] | None:
        self.conflicts_shown.append(conflicts)
        return self.decisions.pop(0)(conflicts) if self.decisions else None


@pytest.fixture()
def prompts() -> Prompts:
    return Prompts()


@pytest.fixture()
def window(qtbot: Any, bundled: Engine, ws: Workspace, prompts: Prompts) -> Iterator[QMainWindow]:
    win = QMainWindow()
    win.menuBar().addMenu("&Edit").addAction("Find")
    selection = SelectionContext(win)
    ctl = AnnotationController(bundled, ws, selection, win)
    prompts.install(ctl)
    ctl.install(win)
    win.controller = ctl  # type: ignore[attr-defined]
    win.resize(1000, 800)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    ctl._unsubscribe()


def controller(win: QMainWindow) -> AnnotationController:
    return win.controller  # type: ignore[attr-defined,no-any-return]


def rows(ctl: AnnotationController) -> list[Any]:
    return ctl.service.rows()


def undo_redo(ctl: AnnotationController, state: Callable[[], Any]) -> tuple[Any, Any]:
    """Undo then redo the last command; returns (state after the action, state after undo)."""
    after = state()
    ctl.actions["undo"].trigger()
    undone = state()
    ctl.actions["redo"].trigger()
    assert state() == after
    return after, undone


def test_install_adds_menus_docks_and_shortcuts(window: QMainWindow) -> None:
    ctl = controller(window)
    menus = {
        a.menu().title(): a.menu()
        for a in window.menuBar().actions()
        if isinstance(a.menu(), QMenu)
    }
    assert {"&Edit", "&Annotations"} <= set(menus)
    edit = menus["&Edit"]
    assert edit.actions()[0] is ctl.actions["undo"] and edit.actions()[1] is ctl.actions["redo"]
    assert ctl.actions["undo"].shortcut() == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Shift+Z") in ctl.actions["redo"].shortcuts()
    assert window.findChild(QUndoView, "undoHistory") is not None
    assert window.findChild(AnnotationPanel) is not None
    assert ctl.progress_label.text() == "reviewed 0 of 3"
    assert not ctl.actions["status_confirmed"].isEnabled()
    ctl.selection.set_event("march_days")
    assert ctl.actions["status_confirmed"].isEnabled()


def test_status_buttons_with_reason_and_keyboard_undo_redo(qtbot: Any, window: QMainWindow) -> None:
    ctl = controller(window)
    panel = window.findChild(AnnotationPanel)
    ctl.selection.set_event("march_days")
    qtbot.keyClicks(panel.reason, "dates differ")
    with qtbot.waitSignal(ctl.changed) as blocker:
        qtbot.mouseClick(panel.status_buttons["disputed"], Qt.MouseButton.LeftButton)
    change: Change = blocker.args[0]
    assert change.events == {"march_days"} and change.review
    st = review_status(ctl.workspace, "march_days")
    assert (st.status, st.reason) == ("disputed", "dates differ")
    assert panel.status_buttons["disputed"].isChecked()
    assert "disputed" in panel.header.text() and ctl.progress_label.text() == "reviewed 1 of 3"
    # Ctrl+Z and Ctrl+Shift+Z on the window.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert review_status(ctl.workspace, "march_days").status == "unreviewed"
    assert (
        panel.status_buttons["unreviewed"].isChecked()
        and ctl.progress_label.text() == "reviewed 0 of 3"
    )
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert review_status(ctl.workspace, "march_days").status == "disputed"


def test_status_menu_actions_ask_for_a_reason(window: QMainWindow, prompts: Prompts) -> None:
    ctl = controller(window)
    ctl.selection.set_event("battle_of_baku")
    for status in ("confirmed", "rejected", "unreviewed"):
        if status != "unreviewed":  # going back to unreviewed asks for no reason
            prompts.texts.append(f"because {status}")
        ctl.actions[f"status_{status}"].trigger()
        assert review_status(ctl.workspace, "battle_of_baku").status == status
        after, undone = undo_redo(ctl, lambda: review_status(ctl.workspace, "battle_of_baku"))
        assert after.status == status and undone != after
    prompts.texts.append(None)  # cancelled: nothing happens
    before = ctl.undo_stack.count()
    ctl.actions["status_rejected"].trigger()
    assert ctl.undo_stack.count() == before and not prompts.texts


def test_corrections_from_the_panel_are_one_undoable_step(qtbot: Any, window: QMainWindow) -> None:
    ctl = controller(window)
    panel = window.findChild(AnnotationPanel)
    ctl.selection.set_event("battle_of_baku")
    panel.title_edit.clear()
    qtbot.keyClicks(panel.title_edit, "Capture of Baku")
    panel.kind_combo.setCurrentText("occupation")
    panel.date_edit.setText("1918-09-15")
    assert panel.phase_combo.currentData() is None  # battle_of_baku has no phase
    panel.phase_combo.setCurrentIndex(panel.phase_combo.findText("The Battle of Baku"))
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)

    def state() -> tuple[str, str, str, str, str | None]:
        ev = ctl.effective("battle_of_baku")
        assert ev is not None
        return ev.title, ev.kind, ev.value, ev.precision, ev.phase_id

    after, undone = undo_redo(ctl, state)
    assert after == ("Capture of Baku", "occupation", "1918-09-15", "day", "phase-2")
    assert undone == ("Battle of Baku", "battle", "1918-09", "month", None)
    assert panel.title_edit.text() == "Capture of Baku"
    # A bad date is refused with a message and changes nothing.
    panel.date_edit.setText("15 Sept")
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert "not a date" in (ctl.last_error or "")
    assert state() == after
    # Each field on its own through the controller, undone and redone.
    for field, value in (("title", "T"), ("kind", "treaty"), ("date", "1918"), ("phase", "p")):
        assert ctl.correct("battle_of_baku", field, value)
        undo_redo(ctl, state)
    assert ctl.clear_correction("battle_of_baku", "title")
    undo_redo(ctl, state)


def test_participants_from_the_selected_entity(window: QMainWindow) -> None:
    ctl = controller(window)
    ctl.selection.set_event("shusha_fire")
    ctl.selection.set_entity("army_of_islam")
    ctl.actions["add_entity"].trigger()

    def parts() -> tuple[tuple[str, str], ...]:
        ev = ctl.effective("shusha_fire")
        assert ev is not None
        return ev.participants

    after, undone = undo_redo(ctl, parts)
    assert ("army_of_islam", "participant") in after and (
        "army_of_islam",
        "participant",
    ) not in undone
    ctl.selection.set_entity("baku")  # a place is added as a place
    ctl.actions["add_entity"].trigger()
    assert ("baku", "place") in parts()
    ctl.selection.set_entity("shusha")
    ctl.actions["remove_entity"].trigger()
    after, undone = undo_redo(ctl, parts)
    assert ("shusha", "place") not in after and ("shusha", "place") in undone
    # Removing a participant with a role the bundle gave it.
    ctl.selection.set_event("march_days")
    ctl.selection.set_entity("musavat")
    ctl.actions["remove_entity"].trigger()
    assert ("musavat", "target") not in (ctl.effective("march_days").participants)  # type: ignore[union-attr]


def test_notes_on_events_entities_and_passages(
    qtbot: Any, window: QMainWindow, prompts: Prompts
) -> None:
    ctl = controller(window)
    panel = window.findChild(AnnotationPanel)
    ctl.selection.set_event("march_days")
    qtbot.keyClicks(panel.note_edit, "**Check** the casualty figures")
    panel.markdown.setChecked(True)
    qtbot.mouseClick(panel.add_note_button, Qt.MouseButton.LeftButton)
    assert panel.notes_model.stringList() == [
        "[md] **Check** the casualty figures — " + ctl.service.reviewer
    ]
    assert panel.note_edit.toPlainText() == ""

    def notes() -> list[tuple[str, str]]:
        ev = ctl.effective("march_days")
        assert ev is not None
        return [(n.text, n.format) for n in ev.notes]

    after, undone = undo_redo(ctl, notes)
    assert after == [("**Check** the casualty figures", "markdown")] and undone == []
    prompts.texts.append("plain note")
    ctl.actions["note"].trigger()
    assert notes()[-1] == ("plain note", "plain")
    note_id = ctl.effective("march_days").notes[0].id  # type: ignore[union-attr]
    assert ctl.edit_note(note_id, "edited")
    undo_redo(ctl, notes)
    panel.notes_view.setCurrentIndex(panel.notes_model.index(0))
    qtbot.mouseClick(panel.delete_note_button, Qt.MouseButton.LeftButton)
    after, undone = undo_redo(ctl, notes)
    assert after == [("plain note", "plain")] and len(undone) == 2
    for target_type, target_id in (("entity", "baku"), ("passage", "2")):
        assert ctl.add_note(target_type, target_id, f"on {target_type}")
        after, undone = undo_redo(
            ctl, lambda tt=target_type: [r.id for r in ctl.service.rows(target_type=tt)]
        )
        assert len(after) == 1 and undone == []


def test_tags_from_the_panel(qtbot: Any, window: QMainWindow) -> None:
    ctl = controller(window)
    panel = window.findChild(AnnotationPanel)
    ctl.selection.set_event("march_days")
    qtbot.keyClicks(panel.tag_edit, "needs-source")
    qtbot.keyClick(panel.tag_edit, Qt.Key.Key_Return)
    assert panel.tags.text() == "#needs-source"
    after, undone = undo_redo(ctl, lambda: panel.tags.text())
    assert undone == ""
    assert ctl.remove_tag("event", "march_days", "needs-source")
    after, undone = undo_redo(ctl, lambda: panel.tags.text())
    assert (after, undone) == ("", "#needs-source")


def _point_at(view: QPlainTextEdit, pos: int) -> QPoint:
    cursor = view.textCursor()
    cursor.setPosition(pos)
    return view.cursorRect(cursor).center()


def _drag_select(qtbot: Any, view: QPlainTextEdit, start: int, end: int) -> None:
    """Select text with the mouse: press at ``start``, drag, release at ``end``."""
    vp = view.viewport()
    a, b = _point_at(view, start), _point_at(view, end)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    qtbot.mouseMove(vp, QPoint((a.x() + b.x()) // 2, b.y()))
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def test_new_event_from_a_mouse_selection(qtbot: Any, window: QMainWindow) -> None:
    ctl = controller(window)
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setPlainText(TEXT)
    view.resize(900, 400)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    tracker = TextSelectionTracker(view, lambda: "s1")
    ctl.connect_text_source(tracker.textSelectionChanged)
    assert not ctl.actions["new_event"].isEnabled()

    start = TEXT.index("In September 1918")
    end = TEXT.index("took Baku.") + len("took Baku.")
    with qtbot.waitSignal(ctl.textSelectionChanged):
        _drag_select(qtbot, view, start, end)
    assert view.textCursor().selectedText() == TEXT[start:end]
    assert ctl.text_selection == ("s1", start, end)
    assert ctl.actions["new_event"].isEnabled()

    with qtbot.waitSignal(ctl.selection.eventChanged) as selected:
        ctl.actions["new_event"].trigger()
    new_id = selected.args[0]
    ev = ctl.effective(new_id)
    assert ev is not None and ev.origin == "user"
    assert ev.title == TEXT[start:end] and ev.value == "1918-09" and ev.precision == "month"
    assert ("army_of_islam", "participant") in ev.participants and (
        "baku",
        "place",
    ) in ev.participants
    assert ev.evidence[0].text == TEXT[start:end]
    assert ctl.progress_label.text() == "reviewed 0 of 4"
    panel = window.findChild(AnnotationPanel)
    assert panel.title_edit.text() == ev.title
    after, undone = undo_redo(ctl, lambda: ctl.effective(new_id))
    assert after == ev and undone is None

    # The same selection as further evidence of an existing event.
    ctl.selection.set_event("battle_of_baku")
    ctl.actions["link_evidence"].trigger()
    after, undone = undo_redo(ctl, lambda: ctl.effective("battle_of_baku").evidence)  # type: ignore[union-attr]
    assert len(after) == 2 and len(undone) == 1
    link = after[1]
    assert (link.source_id, link.start, link.end) == ("s1", start, end)
    assert ctl.unlink_evidence(str(link.annotation_id))
    undo_redo(ctl, lambda: ctl.effective("battle_of_baku").evidence)  # type: ignore[union-attr]

    # Clicking elsewhere clears the selection and disables the action.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_at(view, 3))
    assert ctl.text_selection is None and not ctl.actions["new_event"].isEnabled()


def test_tracker_maps_offsets_past_astral_characters(qtbot: Any) -> None:
    text = "𐌀 ancient 30 March 1918 text"
    view = QPlainTextEdit()
    view.setPlainText(text)
    qtbot.addWidget(view)
    tracker = TextSelectionTracker(view, lambda: "s9")
    cursor = view.textCursor()
    start = text.index("30")
    cursor.setPosition(start + 1)  # one extra UTF-16 unit for the astral character
    cursor.setPosition(start + 1 + len("30 March 1918"), cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert tracker.selection() == ("s9", start, start + len("30 March 1918"))


def test_import_is_one_undoable_step_and_conflicts_are_listed(
    window: QMainWindow, prompts: Prompts, bundled: Engine, tmp_path: Path
) -> None:
    ctl = controller(window)
    other = open_workspace(tmp_path / "ben" / "ws.sqlite")
    ben = AnnotationService(other, bundled, reviewer="ben")
    ben.apply(ben.set_status("march_days", "rejected", "duplicate"))
    ben.apply(ben.set_status("shusha_fire", "confirmed"))
    ben.apply(ben.add_note("entity", "baku", "ben was here"))
    export = tmp_path / "ben.jsonld"
    write_jsonld(ben, export)
    other.close()

    assert ctl.set_status("march_days", "confirmed", "mine")
    prompts.paths.append(export)
    ctl.actions["import"].trigger()  # the reviewer decides later (the dialog is cancelled)
    assert "2 added" in prompts.messages[-1][1] and "1 conflicts" in prompts.messages[-1][1]
    assert len(prompts.conflicts_shown) == 1 and len(ctl.conflicts) == 1
    assert ctl.actions["resolve_conflicts"].isEnabled()
    after, undone = undo_redo(ctl, lambda: len(rows(ctl)))
    assert (after, undone) == (3, 1)
    ours, theirs = ctl.conflicts[0]
    assert ours.reviewer != theirs.reviewer
    assert review_status(ctl.workspace, "march_days").status == "confirmed"  # yours kept

    # Deciding later, from the menu: take theirs, in one undoable step.
    prompts.decisions.append(lambda conflicts: [t for _o, t in conflicts])
    ctl.actions["resolve_conflicts"].trigger()
    assert ctl.conflicts == [] and not ctl.actions["resolve_conflicts"].isEnabled()
    assert "other reviewer" in ctl.undo_stack.undoText()
    after, undone = undo_redo(ctl, lambda: review_status(ctl.workspace, "march_days").status)
    assert (after, undone) == ("rejected", "confirmed")

    # A broken file: told why, nothing changed, nothing pushed.
    bad = tmp_path / "bad.jsonld"
    bad.write_bytes(export.read_bytes()[:200])
    count, before = ctl.undo_stack.count(), rows(ctl)
    prompts.paths.append(bad)
    ctl.actions["import"].trigger()
    assert "nothing changed" in prompts.messages[-1][1] and "truncated" in prompts.messages[-1][1]
    assert ctl.undo_stack.count() == count and rows(ctl) == before


def test_export_actions_write_files(window: QMainWindow, prompts: Prompts, tmp_path: Path) -> None:
    ctl = controller(window)
    ctl.set_status("march_days", "confirmed", "ok")
    ctl.add_note("event", "march_days", "n")
    prompts.paths += [tmp_path / "a.jsonld", tmp_path / "s.csv"]
    ctl.actions["export"].trigger()
    ctl.actions["export_csv"].trigger()
    assert json.loads((tmp_path / "a.jsonld").read_text(encoding="utf-8"))["total"] == 2
    assert (tmp_path / "s.csv").read_text(encoding="utf-8").count("\n") == 2


def test_history_view_and_model(qtbot: Any, qtmodeltester: Any, window: QMainWindow) -> None:
    ctl = controller(window)
    panel = window.findChild(AnnotationPanel)
    ctl.selection.set_event("march_days")
    ctl.set_status("march_days", "confirmed", "first look")
    ctl.add_note("event", "march_days", "a note")
    ctl.actions["undo"].trigger()
    model = panel.history_model
    qtmodeltester.check(model)
    texts = [model.index(r).data() for r in range(model.rowCount())]
    assert len(texts) == 3 and "Undo: Note on “March Days”" in texts[0]
    assert "Mark “March Days” confirmed" in texts[-1] and ctl.service.reviewer in texts[-1]
    assert ctl.undo_stack.text(0) == "Mark “March Days” confirmed"
    assert ctl.undo_view.stack() is ctl.undo_stack and ctl.undo_stack.index() == 1


def test_restore_backup_from_the_menu(window: QMainWindow) -> None:
    ctl = controller(window)
    ctl.set_status("march_days", "confirmed")
    ctl.workspace.backup()
    ctl.set_status("march_days", "rejected")
    ctl.restore_menu.aboutToShow.emit()
    entries = [a for a in ctl.restore_menu.actions() if a.isEnabled()]
    assert entries
    entries[0].trigger()
    assert review_status(ctl.workspace, "march_days").status == "confirmed"
    assert ctl.undo_stack.count() == 0


def test_reviewer_name_and_show_rejected(window: QMainWindow, prompts: Prompts) -> None:
    ctl = controller(window)
    prompts.texts.append("Ana Reviewer")
    ctl.actions["reviewer"].trigger()
    ctl.set_status("march_days", "rejected")
    assert review_status(ctl.workspace, "march_days").reviewer == "Ana Reviewer"
    seen: list[bool] = []
    ctl.rejectedVisibilityChanged.connect(seen.append)
    ctl.actions["show_rejected"].trigger()
    assert seen == [ctl.show_rejected]


def test_recovered_workspace_is_announced(qtbot: Any, bundled: Engine, tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    path.write_bytes(b"definitely not a database" * 200)
    ws = open_workspace(path)
    win = QMainWindow()
    qtbot.addWidget(win)
    ctl = AnnotationController(bundled, ws, SelectionContext(win), win)
    ctl.install(win)
    box = win.findChild(object, "workspaceNotice")
    assert box is not None and "kept as" in box.text()
    ctl.close()


def test_a_failed_write_is_reported_and_not_left_on_the_stack(
    window: QMainWindow, prompts: Prompts, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    ctl = controller(window)
    assert ctl.set_status("march_days", "confirmed")
    real_apply = ctl.service.apply

    def broken(*_a: Any, **_k: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ctl.service, "apply", broken)
    assert not ctl.set_status("march_days", "rejected")
    assert ctl.undo_stack.count() == 1 and "disk I/O error" in prompts.messages[-1][1]
    ctl.actions["undo"].trigger()
    assert "Could not undo" in prompts.messages[-1][1]
    monkeypatch.setattr(ctl.service, "apply", real_apply)
    assert review_status(ctl.workspace, "march_days").status == "confirmed"


def test_notes_on_the_selected_entity_and_passage(window: QMainWindow, prompts: Prompts) -> None:
    ctl = controller(window)
    assert (
        not ctl.actions["note_entity"].isEnabled() and not ctl.actions["note_passage"].isEnabled()
    )
    ctl.selection.set_entity("baku")
    ctl.selection.set_passage(3)
    prompts.texts += ["# Baku\n- capital", "plain words_with_underscores"]
    ctl.actions["note_entity"].trigger()
    ctl.actions["note_passage"].trigger()
    entity_note = ctl.service.rows(kind="note", target_type="entity")[0]
    passage_note = ctl.service.rows(kind="note", target_type="passage")[0]
    assert (entity_note.target_id, entity_note.format) == ("baku", "markdown")
    assert (passage_note.target_id, passage_note.format) == ("3", "plain")
    assert passage_note.selector is not None and passage_note.selector["exact"].startswith(
        "In September 1918"
    )
    after, undone = undo_redo(ctl, lambda: len(ctl.service.rows(kind="note")))
    assert (after, undone) == (2, 1)
    # The review panel shows them while the entity and passage are selected.
    shown = window.findChild(AnnotationPanel).context_notes
    assert shown.isVisible()
    who = ctl.service.reviewer
    assert shown.text().splitlines() == [
        "On Baku: # Baku",  # as written: a two-line Markdown note
        f"- capital — {who}",
        f"On this passage: plain words_with_underscores — {who}",
    ]
    ctl.selection.set_entity(None)
    ctl.selection.set_passage(None)
    assert not shown.isVisible()


def test_rejected_ids_follow_status_changes(window: QMainWindow) -> None:
    ctl = controller(window)
    assert ctl.rejected_ids == frozenset()
    ctl.set_status("shusha_fire", "rejected", "not in the sources")
    assert ctl.rejected_ids == {"shusha_fire"}
    ctl.actions["undo"].trigger()
    assert ctl.rejected_ids == frozenset()


def test_conflict_dialog_lists_both_versions_and_takes_the_chosen(
    qtbot: Any, bundled: Engine, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.annotations.conflicts import TAKE, ConflictDialog

    a = open_workspace(tmp_path / "a" / "ws.sqlite")
    b = open_workspace(tmp_path / "b" / "ws.sqlite")
    ann = AnnotationService(a, bundled, reviewer="ann")
    ben = AnnotationService(b, bundled, reviewer="ben")
    ann.apply(ann.set_status("march_days", "confirmed", "mine"))
    ann.apply(ann.add_note("entity", "baku", "ann's note"))
    ben.apply(ben.set_status("march_days", "rejected", "duplicate"))
    ben.apply(ben.set_status("shusha_fire", "confirmed"))
    conflicts = [(ann.rows()[0], ben.rows()[0]), (ann.rows()[0], ben.rows()[1])]
    dialog = ConflictDialog(conflicts)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.rowCount() == 2
    assert "confirmed: mine" in table.item(0, 2).text() and "ann" in table.item(0, 2).text()
    assert "rejected: duplicate" in table.item(0, 3).text() and "ben" in table.item(0, 3).text()
    assert dialog.chosen() == []  # yours is kept unless chosen otherwise
    qtbot.mouseClick(dialog.take_all, Qt.MouseButton.LeftButton)
    assert [r.id for r in dialog.chosen()] == [ben.rows()[0].id, ben.rows()[1].id]
    qtbot.mouseClick(dialog.keep_all, Qt.MouseButton.LeftButton)
    dialog.choices[1].setCurrentText(TAKE)
    assert [r.id for r in dialog.chosen()] == [ben.rows()[1].id]
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    a.close()
    b.close()


def test_markdown_notes_are_rendered_and_plain_notes_shown_verbatim(
    qtbot: Any, window: QMainWindow
) -> None:
    from PySide6.QtGui import QTextCursor

    ctl = controller(window)
    panel = window.findChild(AnnotationPanel)
    ctl.selection.set_event("march_days")
    qtbot.keyClicks(panel.note_edit, "**Check** the figures <b>now</b> [src](https://x.org)")
    panel.markdown.setChecked(True)
    qtbot.mouseClick(panel.add_note_button, Qt.MouseButton.LeftButton)
    view = panel.note_view
    assert view.isVisible()
    # Rendered: no asterisks, "Check" in bold; raw HTML stays text, never markup.
    assert view.toPlainText() == "Check the figures <b>now</b> src"
    cursor = QTextCursor(view.document())
    cursor.setPosition(2)
    assert cursor.charFormat().fontWeight() > 400
    cursor.setPosition(view.toPlainText().index("now") + 1)
    assert cursor.charFormat().fontWeight() <= 400

    panel.markdown.setChecked(False)
    qtbot.keyClicks(panel.note_edit, "**as typed**")
    qtbot.mouseClick(panel.add_note_button, Qt.MouseButton.LeftButton)
    assert view.toPlainText() == "**as typed**"
    panel.notes_view.setCurrentIndex(panel.notes_model.index(0))
    assert view.toPlainText().startswith("Check the figures")
    ctl.selection.set_event(None)
    assert not view.isVisible()

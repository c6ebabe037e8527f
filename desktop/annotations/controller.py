"""The reviewer's actions: an undo stack, its QActions, the annotation panel and history.

All edits are commands pushed on :attr:`AnnotationController.undo_stack`; they go
through the :class:`~db.workspace.service.AnnotationService`, which announces a
typed :class:`~db.workspace.service.Change` that this controller re-emits as
:attr:`changed` for the panes to refresh what concerns them.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QUndoView,
    QWidget,
)
from sqlalchemy import Engine

from db import query
from db.review import EMPTY
from db.workspace import bundled
from db.workspace.effective import (
    EffectiveEvent,
    Progress,
    effective_event,
    load_overlay,
    progress,
)
from db.workspace.exchange import (
    ImportFormatError,
    MergePlan,
    plan_merge,
    read_import,
    write_jsonld,
    write_status_csv,
)
from db.workspace.service import AnnotationService, Change, DateValue, Row, describe
from db.workspace.store import Workspace, WorkspaceError
from desktop.annotations.commands import (
    AddNoteCommand,
    AddParticipantCommand,
    AddTagCommand,
    AnnotationCommand,
    ClearCorrectionCommand,
    CorrectFieldCommand,
    DeleteNoteCommand,
    EditNoteCommand,
    ImportCommand,
    LinkEvidenceCommand,
    NewEventFromSelectionCommand,
    RemoveParticipantCommand,
    RemoveTagCommand,
    ResolveConflictCommand,
    SetStatusCommand,
    UnlinkEvidenceCommand,
)
from desktop.annotations.selection import TextSelection, TextSelectionTracker
from desktop.selection import SelectionContext

# Text that reads as Markdown when typed into the plain note prompt.
MARKDOWN_HINT = re.compile(r"\*\*|__|`|\]\(|^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d+\.\s|>)", re.MULTILINE)
REVIEWER_KEY = "annotations/reviewer"
SHOW_REJECTED_KEY = "annotations/showRejected"
STATUS_ACTIONS = (
    ("confirmed", "&Confirm Event…", "Ctrl+Alt+1"),
    ("disputed", "&Dispute Event…", "Ctrl+Alt+2"),
    ("rejected", "&Reject Event…", "Ctrl+Alt+3"),
    ("unreviewed", "Mark &Unreviewed", "Ctrl+Alt+0"),
)


class AnnotationController(QObject):
    """Owns the undo stack and every reviewer action; ``install`` puts them in a main window."""

    changed = Signal(object)  # db.workspace.service.Change
    progressChanged = Signal(object)  # db.workspace.effective.Progress
    textSelectionChanged = Signal(object)  # (source_id, start, end) | None
    importFinished = Signal(object)  # MergePlan: its conflicts are listed for a decision
    rejectedVisibilityChanged = Signal(bool)  # True: show rejected events dimmed; False: hide
    errorRaised = Signal(str)

    def __init__(
        self,
        engine: Engine,
        workspace: Workspace,
        selection: SelectionContext,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.workspace = workspace
        self.selection = selection
        self._settings = QSettings()
        reviewer = str(self._settings.value(REVIEWER_KEY, "") or "") or _default_reviewer()
        self.service = AnnotationService(workspace, engine, reviewer=reviewer)
        self._unsubscribe = self.service.subscribe(self._on_service_changed)
        # After a corpus or pipeline update, move anchors to where their quotes are now.
        self.lost: list[Row] = self.service.reanchor_if_needed() or []
        self._text_selection: TextSelection | None = None
        self._progress: Progress | None = None  # counting reads every bundled event id
        self.last_error: str | None = None
        self.conflicts: list[tuple[Row, Row]] = []  # (ours, theirs) from the last import

        # Replaceable prompts (tests, kiosk): each returns None when the user cancels.
        self.ask_text: Callable[[str, str, bool], str | None] = self._ask_text
        self.ask_open_path: Callable[[str, str], Path | None] = self._ask_open_path
        self.ask_save_path: Callable[[str, str, str], Path | None] = self._ask_save_path
        self.inform: Callable[[str, str], None] = self._inform
        #: Shows an import's conflicts for a decision; the other reviewer's rows to take, or
        #: None to decide later.
        self.ask_conflicts: Callable[[list[tuple[Row, Row]]], list[Row] | None] = (
            self._ask_conflicts
        )

        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(0)
        self._create_actions()
        selection.eventChanged.connect(self._on_selection_event_changed)
        selection.entityChanged.connect(self._on_selection_entity_changed)
        selection.passageChanged.connect(self._on_selection_passage_changed)
        self._update_enabled()
        self._apply_overlay()

    def _apply_overlay(self) -> None:
        """Show every pane the bundled data with the reviewer's changes (db.query.set_review)."""
        overlay = load_overlay(self.engine, self.workspace, show_rejected=self.show_rejected)
        unchanged = overlay.is_empty() and query.review_of(self.engine).is_empty()
        query.set_review(self.engine, overlay)
        if not unchanged:  # an empty workspace opening changes nothing the panes show
            self.selection.notify_review_changed()

    # --- actions ---------------------------------------------------------------------
    def _action(
        self, name: str, text: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = action
        return action

    def _create_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setObjectName("undo")
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setObjectName("redo")
        redo.setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)]
        )
        self.actions["undo"], self.actions["redo"] = undo, redo
        for status, text, key in STATUS_ACTIONS:
            self._action(f"status_{status}", text, partial(self._ask_status, status), key)
        self._action("note", "Add &Note…", self._ask_note, "Ctrl+Alt+N")
        self._action("tag", "Add &Tag…", self._ask_tag, "Ctrl+Alt+T")
        self._action(
            "note_entity", "Note on Selected &Entity…", partial(self._ask_note_on, "entity")
        )
        self._action(
            "note_passage", "Note on Selected &Passage…", partial(self._ask_note_on, "passage")
        )
        self._action(
            "new_event", "New Event from &Selection", self.new_event_from_selection, "Ctrl+Alt+E"
        )
        self._action(
            "link_evidence",
            "&Link Selection as Evidence",
            self.link_selection_as_evidence,
            "Ctrl+Alt+L",
        )
        self._action("add_entity", "Add Selected Entity to Event", self.add_selected_entity)
        self._action(
            "remove_entity", "Remove Selected Entity from Event", self.remove_selected_entity
        )
        self._action("import", "&Import Annotations…", self._ask_import)
        self._action(
            "resolve_conflicts", "Decide Import &Conflicts…", self.decide_conflicts
        ).setEnabled(False)
        self._action("export", "&Export Annotations (Web Annotation)…", self._ask_export)
        self._action("export_csv", "Export Review &Statuses (CSV)…", self._ask_export_csv)
        self._action("reviewer", "Reviewer &Name…", self._ask_reviewer)
        self._action("unanchored", "Annotations That Lost Their &Text…", self._show_unanchored)
        show = self._action(
            "show_rejected", "Show Rejected Events &Dimmed", self._on_show_rejected_toggled
        )
        show.setCheckable(True)
        show.setChecked(bool(self._settings.value(SHOW_REJECTED_KEY, True, type=bool)))
        self.restore_menu = QMenu("Restore &Backup")
        self.restore_menu.setObjectName("restoreBackupMenu")
        self.restore_menu.aboutToShow.connect(self._fill_restore_menu)

    def menu(self, parent: QWidget | None = None) -> QMenu:
        """The Annotations menu."""
        menu = QMenu("&Annotations", parent)
        menu.setObjectName("annotationsMenu")
        for name in ("status_confirmed", "status_disputed", "status_rejected", "status_unreviewed"):
            menu.addAction(self.actions[name])
        menu.addSeparator()
        for name in ("note", "tag", "add_entity", "remove_entity", "note_entity", "note_passage"):
            menu.addAction(self.actions[name])
        menu.addSeparator()
        menu.addAction(self.actions["new_event"])
        menu.addAction(self.actions["link_evidence"])
        menu.addSeparator()
        menu.addAction(self.actions["show_rejected"])
        menu.addAction(self.actions["unanchored"])
        menu.addSeparator()
        for name in ("import", "resolve_conflicts", "export", "export_csv"):
            menu.addAction(self.actions[name])
        menu.addMenu(self.restore_menu)
        menu.addSeparator()
        menu.addAction(self.actions["reviewer"])
        return menu

    def install(self, window: QMainWindow) -> None:
        """Undo/Redo into the Edit menu, an Annotations menu, the panel and history docks,
        and the progress count in the status bar."""
        from desktop.annotations.panel import AnnotationPanel

        bar = window.menuBar()
        menus: dict[str, tuple[QAction, QMenu]] = {}
        for act in bar.actions():
            m = act.menu()
            if isinstance(m, QMenu):
                menus[m.title().replace("&", "")] = (act, m)
        titles = list(menus)
        if "Edit" in menus:
            edit = menus["Edit"][1]
        else:  # the conventional place: right after File
            edit = QMenu("&Edit", window)
            edit.setObjectName("editMenu")
            after_file = titles[titles.index("File") + 1] if "File" in titles[:-1] else None
            if after_file is not None:
                bar.insertMenu(menus[after_file][0], edit)
            else:
                bar.addMenu(edit)
        if edit.actions():
            first = edit.actions()[0]
            edit.insertActions(first, [self.actions["undo"], self.actions["redo"]])
            edit.insertSeparator(first)
        else:
            edit.addActions([self.actions["undo"], self.actions["redo"]])
        self.annotations_menu = self.menu(window)
        if "Help" in menus:
            bar.insertMenu(menus["Help"][0], self.annotations_menu)
        else:
            bar.addMenu(self.annotations_menu)
        # Shortcuts keep working when the menu bar is hidden.
        window.addActions(list(self.actions.values()))

        self.panel = AnnotationPanel(self, window)
        panel_dock = QDockWidget("Review", window)
        panel_dock.setObjectName("annotationDock")
        # Scrolled, so the panel's full height never sets the window's minimum size: the
        # window must still fit a 768-pixel-high laptop screen.
        scroller = QScrollArea(panel_dock)
        scroller.setObjectName("annotationScroll")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setWidget(self.panel)
        panel_dock.setWidget(scroller)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel_dock)

        self.undo_view = QUndoView(self.undo_stack)
        self.undo_view.setObjectName("undoHistory")
        self.undo_view.setEmptyLabel("(workspace opened)")
        history_dock = QDockWidget("Undo History", window)
        history_dock.setObjectName("undoHistoryDock")
        history_dock.setWidget(self.undo_view)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, history_dock)
        history_dock.hide()
        menu = self.annotations_menu
        menu.addSeparator()
        menu.addAction(panel_dock.toggleViewAction())
        menu.addAction(history_dock.toggleViewAction())

        self.progress_label = QLabel(str(self.progress()), window)
        self.progress_label.setObjectName("reviewProgress")
        window.statusBar().addPermanentWidget(self.progress_label)
        self.progressChanged.connect(lambda p: self.progress_label.setText(str(p)))
        if self.lost:
            window.statusBar().showMessage(
                f"{len(self.lost)} annotations lost their text or event after the update: "
                "see Annotations › Annotations That Lost Their Text"
            )
        if self.workspace.notice:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Workspace recovered",
                self.workspace.notice,
                parent=window,
            )
            box.setObjectName("workspaceNotice")
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.show()

    def connect_source_pane(self, pane: QWidget) -> None:
        """Follow the source pane's text selection.

        Uses the pane's ``textSelectionChanged(object)`` signal when it has one;
        otherwise watches its ``text`` view directly, which is only right while the
        pane shows the normalized (repaired) text, so selections in the original
        text are ignored then.
        """
        signal = getattr(pane, "textSelectionChanged", None)
        if signal is not None:
            self.connect_text_source(signal)
            return
        view = getattr(pane, "text", None)
        if not isinstance(view, QPlainTextEdit):
            raise TypeError("the source pane offers neither textSelectionChanged nor a text view")

        def source_id() -> str | None:
            sid = getattr(pane, "source_id", None)
            return (
                None
                if getattr(pane, "showing_original", False) or not isinstance(sid, str)
                else sid
            )

        self._pane_tracker = TextSelectionTracker(view, source_id, parent=self)
        self.connect_text_source(self._pane_tracker.textSelectionChanged)

    def connect_text_source(self, signal: object) -> None:
        """Follow a ``textSelectionChanged(object)`` signal giving (source_id, start, end) or None."""
        signal.connect(self.set_text_selection)  # type: ignore[attr-defined]

    # --- state ---------------------------------------------------------------------
    @property
    def text_selection(self) -> TextSelection | None:
        return self._text_selection

    @Slot(object)
    def set_text_selection(self, sel: TextSelection | None) -> None:
        sel = None if sel is None else (str(sel[0]), int(sel[1]), int(sel[2]))
        if sel == self._text_selection:
            return
        self._text_selection = sel
        self._update_enabled()
        self.textSelectionChanged.emit(sel)

    @property
    def show_rejected(self) -> bool:
        return self.actions["show_rejected"].isChecked()

    @property
    def rejected_ids(self) -> frozenset[str]:
        """Events the reviewer rejected: panes hide them, or dim them when :attr:`show_rejected`."""
        return query.review_of(self.engine).rejected

    def effective(self, event_id: str) -> EffectiveEvent | None:
        return effective_event(self.engine, self.workspace, event_id)

    def progress(self) -> Progress:
        """``reviewed N of M``, kept until the workspace changes: the window asks twice while
        it opens, and counting reads every bundled event id (0.13 s at 100,000 events)."""
        if self._progress is None:
            self._progress = progress(self.engine, self.workspace)
        return self._progress

    def _update_enabled(self) -> None:
        has_event = self.selection.event is not None
        for name in (
            "status_confirmed",
            "status_disputed",
            "status_rejected",
            "status_unreviewed",
            "note",
            "tag",
        ):
            self.actions[name].setEnabled(has_event)
        has_entity = has_event and self.selection.entity is not None
        self.actions["add_entity"].setEnabled(has_entity)
        self.actions["remove_entity"].setEnabled(has_entity)
        self.actions["note_entity"].setEnabled(self.selection.entity is not None)
        self.actions["note_passage"].setEnabled(self.selection.passage is not None)
        self.actions["new_event"].setEnabled(self._text_selection is not None)
        self.actions["link_evidence"].setEnabled(self._text_selection is not None and has_event)

    # --- doing things ------------------------------------------------------------------
    def push(self, make: Callable[[], AnnotationCommand]) -> AnnotationCommand | None:
        """Plan a command and push it; tell the user (and return None) when it cannot be done."""
        try:
            cmd = make()
        except (ValueError, KeyError, TypeError, RuntimeError) as exc:
            self._error(str(exc).strip("'\""))
            return None
        if cmd.edit.empty:
            return None
        cmd.on_error = self._error
        self.undo_stack.push(cmd)
        if cmd.error is not None:
            self._error(f"Could not save: {cmd.error}")
            return None
        return cmd

    def _error(self, message: str) -> None:
        self.last_error = message
        self.errorRaised.emit(message)
        self.inform("Annotations", message)

    def set_status(self, event_id: str, status: str, reason: str = "") -> bool:
        return (
            self.push(lambda: SetStatusCommand(self.service, event_id, status, reason)) is not None
        )

    def correct(self, event_id: str, field: str, value: str | DateValue | None) -> bool:
        return (
            self.push(lambda: CorrectFieldCommand(self.service, event_id, field, value)) is not None
        )

    def clear_correction(self, event_id: str, field: str) -> bool:
        return self.push(lambda: ClearCorrectionCommand(self.service, event_id, field)) is not None

    def add_participant(self, event_id: str, entity_id: str, role: str = "participant") -> bool:
        return (
            self.push(lambda: AddParticipantCommand(self.service, event_id, entity_id, role))
            is not None
        )

    def remove_participant(self, event_id: str, entity_id: str, role: str = "participant") -> bool:
        return (
            self.push(lambda: RemoveParticipantCommand(self.service, event_id, entity_id, role))
            is not None
        )

    def add_note(self, target_type: str, target_id: str, text: str, fmt: str = "plain") -> bool:
        return (
            self.push(lambda: AddNoteCommand(self.service, target_type, target_id, text, fmt))
            is not None
        )

    def edit_note(self, note_id: str, text: str, fmt: str | None = None) -> bool:
        return self.push(lambda: EditNoteCommand(self.service, note_id, text, fmt)) is not None

    def delete_note(self, note_id: str) -> bool:
        return self.push(lambda: DeleteNoteCommand(self.service, note_id)) is not None

    def add_tag(self, target_type: str, target_id: str, tag: str) -> bool:
        return (
            self.push(lambda: AddTagCommand(self.service, target_type, target_id, tag)) is not None
        )

    def remove_tag(self, target_type: str, target_id: str, tag: str) -> bool:
        return (
            self.push(lambda: RemoveTagCommand(self.service, target_type, target_id, tag))
            is not None
        )

    def unlink_evidence(self, annotation_id: str) -> bool:
        return self.push(lambda: UnlinkEvidenceCommand(self.service, annotation_id)) is not None

    def _role_for(self, entity_id: str) -> str:
        return "place" if bundled.entity_type(self.engine, entity_id) == "place" else "participant"

    def add_selected_entity(self) -> bool:
        """Add the entity selected (in the entity list or by clicking a mention) to the current event."""
        event, entity = self.selection.event, self.selection.entity
        if event is None or entity is None:
            return False
        return self.add_participant(event, entity, self._role_for(entity))

    def remove_selected_entity(self) -> bool:
        event, entity = self.selection.event, self.selection.entity
        if event is None or entity is None:
            return False
        ev = self.effective(event)
        roles = [r for e, r in (ev.participants if ev else ()) if e == entity] or [
            self._role_for(entity)
        ]
        self.undo_stack.beginMacro(f"Remove {entity} from {event}")
        ok = all(self.remove_participant(event, entity, role) for role in roles)
        self.undo_stack.endMacro()
        return ok

    def new_event_from_selection(self) -> str | None:
        """Create an event from the current text selection and select it; returns its id."""
        sel = self._text_selection
        if sel is None:
            self._error("Select some text in a source first.")
            return None
        cmd = self.push(lambda: NewEventFromSelectionCommand(self.service, *sel))
        if not isinstance(cmd, NewEventFromSelectionCommand):
            return None
        self.selection.set_event(cmd.event_id)
        return cmd.event_id

    def link_selection_as_evidence(self) -> bool:
        sel, event = self._text_selection, self.selection.event
        if sel is None or event is None:
            self._error("Select an event and some text in a source first.")
            return False
        return self.push(lambda: LinkEvidenceCommand(self.service, event, *sel)) is not None

    def import_file(self, path: Path) -> MergePlan | None:
        """Merge another reviewer's export (one transaction, undoable); conflicts kept in :attr:`conflicts`."""
        try:
            plan = plan_merge(
                self.service, read_import(path, self.service), f"Import {Path(path).name}"
            )
        except ImportFormatError as exc:
            self._error(f"{Path(path).name} was not imported; nothing changed.\n{exc}")
            return None
        if not plan.edit.empty and self.push(lambda: ImportCommand(self.service, plan)) is None:
            return None
        self.conflicts = [(c.ours, c.theirs) for c in plan.conflicts]
        self.actions["resolve_conflicts"].setEnabled(bool(self.conflicts))
        self.importFinished.emit(plan)
        return plan

    def take_theirs(self, theirs: Row) -> bool:
        """Decide an import conflict for the other reviewer's version."""
        ok = self.push(lambda: ResolveConflictCommand(self.service, theirs)) is not None
        if ok:
            self.conflicts = [(o, t) for o, t in self.conflicts if t.id != theirs.id]
            self.actions["resolve_conflicts"].setEnabled(bool(self.conflicts))
        return ok

    def decide_conflicts(self) -> int:
        """Ask which of the last import's conflicts to settle for the other reviewer; apply
        those as one undoable step. Returns how many were taken (the rest keep yours and are
        dropped from the list: deciding is final, undo aside)."""
        if not self.conflicts:
            return 0
        chosen = self.ask_conflicts(list(self.conflicts))
        if chosen is None:  # decide later
            return 0
        taken = 0
        if chosen:
            self.undo_stack.beginMacro(
                f"Take the other reviewer's version ({len(chosen)} "
                f"{'conflict' if len(chosen) == 1 else 'conflicts'})"
            )
            try:
                taken = sum(1 for theirs in chosen if self.take_theirs(theirs))
            finally:
                self.undo_stack.endMacro()
        self.conflicts = []
        self.actions["resolve_conflicts"].setEnabled(False)
        return taken

    def export_annotations(self, path: Path) -> int:
        return write_jsonld(self.service, path)

    def export_statuses(self, path: Path) -> int:
        return write_status_csv(self.engine, self.service, path)

    def restore_backup(self, path: Path) -> bool:
        """Replace the workspace with a backup (the current state is backed up first)."""
        try:
            self.workspace.restore(path)
        except WorkspaceError as exc:
            self._error(str(exc))
            return False
        # Commands on the stack refer to rows the restore replaced.
        self.undo_stack.clear()
        self._on_service_changed(Change(f"Restore {path.name}", everything=True))
        return True

    def set_reviewer(self, name: str) -> None:
        self.service.reviewer = name.strip() or _default_reviewer()
        self._settings.setValue(REVIEWER_KEY, self.service.reviewer)

    def close(self) -> None:
        """Take a last backup (when there is anything) and release the workspace."""
        self._unsubscribe()
        query.set_review(self.engine, EMPTY)
        if self.service.rows():
            self.workspace.backup()
        self.workspace.close()

    # --- prompts -----------------------------------------------------------------------
    def _ask_status(self, status: str) -> None:
        event = self.selection.event
        if event is None:
            return
        reason: str | None = ""
        if status != "unreviewed":
            reason = self.ask_text(f"{status.capitalize()} event", "Reason (optional):", False)
        if reason is not None:
            self.set_status(event, status, reason)

    def _ask_note(self) -> None:
        self._ask_note_on("event")

    def _ask_note_on(self, target_type: str) -> None:
        target = {
            "event": self.selection.event,
            "entity": self.selection.entity,
            "passage": self.selection.passage,
        }[target_type]
        if target is None:
            return
        text = self.ask_text("Note", f"Note on this {target_type} (Markdown allowed):", True)
        if text:
            fmt = "markdown" if MARKDOWN_HINT.search(text) else "plain"
            self.add_note(target_type, str(target), text, fmt)

    def _ask_tag(self) -> None:
        event = self.selection.event
        text = self.ask_text("Tag", "Tag:", False) if event else None
        if event and text:
            self.add_tag("event", event, text)

    def _ask_import(self) -> None:
        path = self.ask_open_path(
            "Import annotations", "Web Annotation (*.jsonld *.json);;Review statuses (*.csv)"
        )
        if path is None:
            return
        plan = self.import_file(path)
        if plan is not None:
            self.inform("Import", plan.summary())
            if plan.conflicts:
                self.decide_conflicts()

    def _ask_export(self) -> None:
        path = self.ask_save_path(
            "Export annotations", "annotations.jsonld", "Web Annotation (*.jsonld)"
        )
        if path is not None:
            self.inform(
                "Export", f"{self.export_annotations(path)} annotations written to {path.name}."
            )

    def _ask_export_csv(self) -> None:
        path = self.ask_save_path("Export review statuses", "review-statuses.csv", "CSV (*.csv)")
        if path is not None:
            self.inform(
                "Export", f"{self.export_statuses(path)} review statuses written to {path.name}."
            )

    def _ask_reviewer(self) -> None:
        name = self.ask_text("Reviewer", "Your name, recorded with each annotation:", False)
        if name is not None:
            self.set_reviewer(name)

    def _show_unanchored(self) -> None:
        lost = self.service.unanchored()
        if not lost:
            self.inform("Annotations", "Every annotation still finds its text and its event.")
            return
        lines = [f"• {r.target_type} {r.target_id}: {describe(r)}" for r in lost[:40]]
        self.inform("Annotations that lost their text", "\n".join(lines))

    def _fill_restore_menu(self) -> None:
        self.restore_menu.clear()
        for path in self.workspace.backups():
            stamp = path.stem.rsplit("-", 1)[-1]
            label = f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]} UTC"
            act = self.restore_menu.addAction(label)
            act.triggered.connect(lambda _c=False, p=path: self.restore_backup(p))
        if not self.restore_menu.actions():
            self.restore_menu.addAction("(no backups yet)").setEnabled(False)

    def _ask_text(self, title: str, label: str, multiline: bool) -> str | None:
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        if multiline:
            text, ok = QInputDialog.getMultiLineText(parent, title, label)  # type: ignore[arg-type]
        else:
            text, ok = QInputDialog.getText(parent, title, label)  # type: ignore[arg-type]
        return text if ok else None

    def _ask_open_path(self, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(None, title, "", filters)
        return Path(name) if name else None

    def _ask_save_path(self, title: str, default: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(None, title, default, filters)
        return Path(name) if name else None

    def _ask_conflicts(self, conflicts: list[tuple[Row, Row]]) -> list[Row] | None:
        from desktop.annotations.conflicts import ConflictDialog

        dialog = ConflictDialog(conflicts)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        return dialog.chosen() if dialog.exec() == ConflictDialog.DialogCode.Accepted else None

    def _inform(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.exec()

    # --- slots ------------------------------------------------------------------------
    def _on_service_changed(self, change: Change) -> None:
        self._progress = None
        self._apply_overlay()
        self.changed.emit(change)
        if change.review:
            self.progressChanged.emit(self.progress())

    @Slot(object, object)
    def _on_selection_event_changed(self, _current: str | None, _previous: str | None) -> None:
        self._update_enabled()

    @Slot(object, object)
    def _on_selection_passage_changed(self, _current: int | None, _previous: int | None) -> None:
        self._update_enabled()

    @Slot(object, object)
    def _on_selection_entity_changed(self, _current: str | None, _previous: str | None) -> None:
        self._update_enabled()

    def _on_show_rejected_toggled(self) -> None:
        on = self.actions["show_rejected"].isChecked()
        self._settings.setValue(SHOW_REJECTED_KEY, on)
        self._apply_overlay()
        self.rejectedVisibilityChanged.emit(on)


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some kiosks, containers)
        return "reviewer"

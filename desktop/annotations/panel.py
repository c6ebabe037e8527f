"""The review panel shown beside the event detail: status with reason, corrections,
notes, tags and the event's history. It only reads the effective view and asks the
controller to act; it refreshes when a Change concerns the current event."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, Slot
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db import query
from db.models import EVENT_KINDS
from db.workspace.effective import EffectiveEvent, NoteRef, notes_on
from db.workspace.service import Change
from desktop.annotations.controller import AnnotationController
from desktop.annotations.history_model import HistoryModel

STATUS_BUTTONS = (
    ("confirmed", "Confirm"),
    ("disputed", "Dispute"),
    ("rejected", "Reject"),
    ("unreviewed", "Unreviewed"),
)


class AnnotationPanel(QWidget):
    """Review controls for the selected event."""

    def __init__(self, controller: AnnotationController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self.controller = controller
        self._event: EffectiveEvent | None = None

        self.header = QLabel(self)
        self.header.setObjectName("reviewHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QLabel(str(controller.progress()), self)
        self.progress.setObjectName("panelProgress")

        self.reason = QLineEdit(self)
        self.reason.setObjectName("reasonEdit")
        self.reason.setPlaceholderText("Reason (optional)")
        self.reason.setAccessibleName("Reason for the review status")
        self.status_group = QButtonGroup(self)
        self.status_group.setExclusive(True)
        self.status_buttons: dict[str, QPushButton] = {}
        status_row = QHBoxLayout()
        for status, text in STATUS_BUTTONS:
            b = QPushButton(text, self)
            b.setObjectName(f"status_{status}")
            b.setCheckable(True)
            b.setAccessibleName(f"Mark event {status}")
            self.status_group.addButton(b)
            self.status_buttons[status] = b
            b.clicked.connect(lambda _c=False, s=status: self._on_status_button_clicked(s))
            status_row.addWidget(b)

        fix = QGroupBox("Correct", self)
        self.title_edit = QLineEdit(fix)
        self.title_edit.setObjectName("titleEdit")
        self.kind_combo = QComboBox(fix)
        self.kind_combo.setObjectName("kindCombo")
        self.kind_combo.addItems(list(EVENT_KINDS))
        self.date_edit = QLineEdit(fix)
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setPlaceholderText("YYYY, YYYY-MM, YYYY-MM-DD or START/END")
        # Phases by title (the id is the item's data); "(no phase)" clears it.
        self.phase_combo = QComboBox(fix)
        self.phase_combo.setObjectName("phaseCombo")
        self.phase_combo.setAccessibleName("Phase")
        self.phase_combo.addItem("(no phase)", None)
        for pid, title in query.phases(controller.engine):
            self.phase_combo.addItem(title, pid)
        self.apply_button = QPushButton("Apply corrections", fix)
        self.apply_button.setObjectName("applyCorrections")
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        form = QFormLayout(fix)
        form.addRow("Title", self.title_edit)
        form.addRow("Kind", self.kind_combo)
        form.addRow("Date", self.date_edit)
        form.addRow("Phase", self.phase_combo)
        form.addRow(self.apply_button)
        self.participants = QLabel(fix)
        self.participants.setObjectName("participantsLabel")
        self.participants.setWordWrap(True)
        form.addRow("Who, where", self.participants)

        notes = QGroupBox("Notes and tags", self)
        self.notes_model = QStringListModel(self)
        self.notes_view = QListView(notes)
        self.notes_view.setObjectName("notesList")
        self.notes_view.setModel(self.notes_model)
        self.notes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The chosen note as written: Markdown rendered (raw HTML in it stays text), plain
        # text as is; links are shown, never followed (no network, no navigation).
        self.note_view = QTextBrowser(notes)
        self.note_view.setObjectName("noteView")
        self.note_view.setAccessibleName("The selected note")
        self.note_view.setOpenLinks(False)
        self.note_view.setOpenExternalLinks(False)
        self.note_view.setMaximumHeight(110)
        self.notes_view.selectionModel().currentChanged.connect(self._on_notes_current_changed)
        self.note_edit = QPlainTextEdit(notes)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText("Write a note…")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        self.notes_view.setMaximumHeight(110)
        self.markdown = QCheckBox("Markdown", notes)
        self.markdown.setObjectName("noteMarkdown")
        self.add_note_button = QPushButton("Add note", notes)
        self.add_note_button.setObjectName("addNote")
        self.add_note_button.clicked.connect(self._on_add_note_button_clicked)
        self.delete_note_button = QPushButton("Delete note", notes)
        self.delete_note_button.setObjectName("deleteNote")
        self.delete_note_button.clicked.connect(self._on_delete_note_button_clicked)
        self.tag_edit = QLineEdit(notes)
        self.tag_edit.setObjectName("tagEdit")
        self.tag_edit.setPlaceholderText("Add a tag and press Enter")
        self.tag_edit.returnPressed.connect(self._on_tag_edit_return_pressed)
        self.tags = QLabel(notes)
        self.tags.setObjectName("tagsLabel")
        nl = QVBoxLayout(notes)
        nl.addWidget(self.notes_view)
        nl.addWidget(self.note_view)
        nl.addWidget(self.note_edit)
        row = QHBoxLayout()
        row.addWidget(self.markdown)
        row.addStretch(1)
        row.addWidget(self.delete_note_button)
        row.addWidget(self.add_note_button)
        nl.addLayout(row)
        nl.addWidget(self.tag_edit)
        nl.addWidget(self.tags)
        # Notes on the selected entity and passage (written from the Annotations menu).
        self.context_notes = QLabel(notes)
        self.context_notes.setObjectName("contextNotes")
        self.context_notes.setAccessibleName("Notes on the selected entity and passage")
        self.context_notes.setTextFormat(Qt.TextFormat.PlainText)
        self.context_notes.setWordWrap(True)
        self.context_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        nl.addWidget(self.context_notes)

        self.history_model = HistoryModel(self)
        self.history_view = QListView(self)
        self.history_view.setObjectName("eventHistory")
        self.history_view.setModel(self.history_model)
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.setWordWrap(True)
        self.history_view.setAlternatingRowColors(True)

        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(self.progress)
        lay.addLayout(status_row)
        lay.addWidget(self.reason)
        lay.addWidget(fix)
        lay.addWidget(notes)
        lay.addWidget(QLabel("History", self))
        lay.addWidget(self.history_view, 1)

        controller.selection.eventChanged.connect(self._on_selection_event_changed)
        controller.selection.entityChanged.connect(self._on_selection_target_changed)
        controller.selection.passageChanged.connect(self._on_selection_target_changed)
        controller.changed.connect(self._on_controller_changed)
        controller.progressChanged.connect(lambda p: self.progress.setText(str(p)))
        self.refresh()
        self.refresh_context_notes()

    @property
    def event_id(self) -> str | None:
        return self.controller.selection.event

    def refresh(self) -> None:
        """Show the current event as the reviewer's changes make it."""
        eid = self.event_id
        ev = self.controller.effective(eid) if eid else None
        self._event = ev
        self.setEnabled(ev is not None)
        if ev is None:
            self.header.setText("No event selected")
            self.notes_model.setStringList([])
            self.show_note(None)
            self.history_model.set_entries([])
            return
        self.header.setText(
            f"{ev.title} — {ev.status.status}"
            + (f" ({ev.status.reason})" if ev.status.reason else "")
        )
        for status, b in self.status_buttons.items():
            b.setChecked(status == ev.status.status)
        self.title_edit.setText(ev.title)
        if self.kind_combo.findText(ev.kind) < 0:
            self.kind_combo.addItem(ev.kind)
        self.kind_combo.setCurrentText(ev.kind)
        self.date_edit.setText(ev.value)
        at = self.phase_combo.findData(ev.phase_id)
        if at < 0:  # a phase this database does not have (an imported correction)
            self.phase_combo.addItem(str(ev.phase_id), ev.phase_id)
            at = self.phase_combo.count() - 1
        self.phase_combo.setCurrentIndex(at)
        names = query.entity_rows(self.controller.engine, [e for e, _r in ev.participants])
        self.participants.setText(
            ", ".join(f"{names[e].name if e in names else e} ({r})" for e, r in ev.participants)
            or "—"
        )
        self.notes_model.setStringList(
            [
                ("[md] " if n.format == "markdown" else "") + f"{n.text} — {n.reviewer}"
                for n in ev.notes
            ]
        )
        if ev.notes:  # the latest note, shown as written
            self.notes_view.setCurrentIndex(self.notes_model.index(len(ev.notes) - 1, 0))
        else:
            self.show_note(None)
        self.tags.setText(" ".join(f"#{t}" for t in ev.tags))
        self.history_model.set_entries(self.controller.service.history("event", ev.id))

    def show_note(self, note: NoteRef | None) -> None:
        """Show a note: Markdown rendered without HTML, plain text verbatim."""
        if note is None:
            self.note_view.clear()
            self.note_view.setVisible(False)
            return
        self.note_view.setVisible(True)
        if note.format == "markdown":
            doc = self.note_view.document()
            doc.setMarkdown(
                note.text,
                QTextDocument.MarkdownFeature.MarkdownDialectGitHub
                | QTextDocument.MarkdownFeature.MarkdownNoHTML,
            )
        else:
            self.note_view.setPlainText(note.text)

    # --- slots ------------------------------------------------------------------------
    @Slot(QModelIndex, QModelIndex)
    def _on_notes_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        notes = self._event.notes if self._event is not None else ()
        row = current.row()
        self.show_note(notes[row] if 0 <= row < len(notes) else None)

    @Slot(object, object)
    def _on_selection_event_changed(self, _current: str | None, _previous: str | None) -> None:
        self.reason.clear()
        self.note_edit.clear()
        self.refresh()

    @Slot(object)
    def _on_controller_changed(self, change: Change) -> None:
        if self.event_id is not None and change.touches_event(self.event_id):
            self.refresh()
        self.refresh_context_notes()

    @Slot(object, object)
    def _on_selection_target_changed(self, _current: object, _previous: object) -> None:
        self.refresh_context_notes()

    def refresh_context_notes(self) -> None:
        """List the notes on the selected entity and passage (as written, one a line)."""
        sel = self.controller.selection
        ws = self.controller.workspace
        lines: list[str] = []
        if sel.entity is not None:
            row = query.entity_rows(self.controller.engine, [sel.entity]).get(sel.entity)
            name = row.name if row else sel.entity
            lines += [
                f"On {name}: {n.text} — {n.reviewer}" for n in notes_on(ws, "entity", sel.entity)
            ]
        if sel.passage is not None:
            lines += [
                f"On this passage: {n.text} — {n.reviewer}"
                for n in notes_on(ws, "passage", str(sel.passage))
            ]
        self.context_notes.setText("\n".join(lines))
        self.context_notes.setVisible(bool(lines))

    def _on_status_button_clicked(self, status: str) -> None:
        if self.event_id is not None:
            self.controller.set_status(self.event_id, status, self.reason.text().strip())
        self.refresh()  # a refused change must not leave the wrong button checked

    @Slot()
    def _on_apply_button_clicked(self) -> None:
        ev = self._event
        if ev is None:
            return
        wanted = {
            "title": (self.title_edit.text().strip(), ev.title),
            "kind": (self.kind_combo.currentText(), ev.kind),
            "date": (self.date_edit.text().strip(), ev.value),
            "phase": (self.phase_combo.currentData(), ev.phase_id),
        }
        changed = {f: new for f, (new, old) in wanted.items() if new != old}
        if not changed:
            return
        stack = self.controller.undo_stack
        stack.beginMacro(f"Correct {', '.join(changed)} of {ev.id}")
        for field, value in changed.items():
            self.controller.correct(ev.id, field, value)
        stack.endMacro()
        self.refresh()

    @Slot()
    def _on_add_note_button_clicked(self) -> None:
        text = self.note_edit.toPlainText()
        if self.event_id is None or not text.strip():
            return
        fmt = "markdown" if self.markdown.isChecked() else "plain"
        if self.controller.add_note("event", self.event_id, text, fmt):
            self.note_edit.clear()

    @Slot()
    def _on_delete_note_button_clicked(self) -> None:
        row = self.notes_view.currentIndex().row()
        if self._event is not None and 0 <= row < len(self._event.notes):
            self.controller.delete_note(self._event.notes[row].id)

    @Slot()
    def _on_tag_edit_return_pressed(self) -> None:
        text = self.tag_edit.text()
        if (
            self.event_id is not None
            and text.strip()
            and self.controller.add_tag("event", self.event_id, text)
        ):
            self.tag_edit.clear()

"""Undoable reviewer actions. Each command plans its edit through the annotation
service when it is created and applies it (and its inverse) through the service,
so every change goes through the one door and lands in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from db.workspace.exchange import MergePlan
from db.workspace.service import AnnotationService, DateValue, Edit, Row


class AnnotationCommand(QUndoCommand):
    """Applies a planned :class:`Edit`; undo applies the inverse the service returned.

    If the write fails the command marks itself obsolete, so the undo stack drops
    it, and keeps the exception in :attr:`error` for the controller to report.
    """

    def __init__(
        self, service: AnnotationService, edit: Edit, parent: QUndoCommand | None = None
    ) -> None:
        super().__init__(edit.label, parent)
        self.service = service
        self.edit = edit
        self.inverse: Edit | None = None
        self.error: Exception | None = None
        self._done_once = False
        #: Told when an undo or redo run by the stack itself fails.
        self.on_error: Callable[[str], None] | None = None

    def redo(self) -> None:
        label = f"Redo: {self.edit.label}" if self._done_once else self.edit.label
        try:
            self.inverse = self.service.apply(self.edit, history_label=label).inverse
        except Exception as exc:  # reported by the controller; the stack forgets this command
            self.error = exc
            self.setObsolete(True)
            if self._done_once and self.on_error is not None:
                self.on_error(f"Could not redo “{self.edit.label}”: {exc}")
            return
        self._done_once = True

    def undo(self) -> None:
        if self.inverse is None:
            return
        try:
            self.service.apply(self.inverse, history_label=f"Undo: {self.edit.label}")
        except Exception as exc:  # the stack has moved already; the user must know
            self.error = exc
            if self.on_error is not None:
                self.on_error(f"Could not undo “{self.edit.label}”: {exc}")


class SetStatusCommand(AnnotationCommand):
    def __init__(
        self, service: AnnotationService, event_id: str, status: str, reason: str = ""
    ) -> None:
        super().__init__(service, service.set_status(event_id, status, reason))


class CorrectFieldCommand(AnnotationCommand):
    """Correct title, kind, date (DateValue or text like ``1918-03``) or phase."""

    def __init__(
        self, service: AnnotationService, event_id: str, field: str, value: str | DateValue | None
    ) -> None:
        super().__init__(service, service.correct(event_id, field, value))


class ClearCorrectionCommand(AnnotationCommand):
    def __init__(self, service: AnnotationService, event_id: str, field: str) -> None:
        super().__init__(service, service.clear_correction(event_id, field))


class AddParticipantCommand(AnnotationCommand):
    def __init__(
        self, service: AnnotationService, event_id: str, entity_id: str, role: str = "participant"
    ) -> None:
        super().__init__(service, service.add_participant(event_id, entity_id, role))


class RemoveParticipantCommand(AnnotationCommand):
    def __init__(
        self, service: AnnotationService, event_id: str, entity_id: str, role: str = "participant"
    ) -> None:
        super().__init__(service, service.remove_participant(event_id, entity_id, role))


class AddNoteCommand(AnnotationCommand):
    def __init__(
        self,
        service: AnnotationService,
        target_type: str,
        target_id: str,
        text: str,
        fmt: str = "plain",
    ) -> None:
        super().__init__(service, service.add_note(target_type, target_id, text, fmt))


class EditNoteCommand(AnnotationCommand):
    def __init__(
        self, service: AnnotationService, note_id: str, text: str, fmt: str | None = None
    ) -> None:
        super().__init__(service, service.edit_note(note_id, text, fmt))


class DeleteNoteCommand(AnnotationCommand):
    def __init__(self, service: AnnotationService, note_id: str) -> None:
        super().__init__(service, service.delete_note(note_id))


class AddTagCommand(AnnotationCommand):
    def __init__(
        self, service: AnnotationService, target_type: str, target_id: str, tag: str
    ) -> None:
        super().__init__(service, service.add_tag(target_type, target_id, tag))


class RemoveTagCommand(AnnotationCommand):
    def __init__(
        self, service: AnnotationService, target_type: str, target_id: str, tag: str
    ) -> None:
        super().__init__(service, service.remove_tag(target_type, target_id, tag))


class NewEventFromSelectionCommand(AnnotationCommand):
    """A new event whose evidence is the selected text (date and participants suggested)."""

    def __init__(
        self, service: AnnotationService, source_id: str, start: int, end: int, **kw: Any
    ) -> None:
        super().__init__(service, service.new_event_from_selection(source_id, start, end, **kw))

    @property
    def event_id(self) -> str:
        put = self.edit.ops[0]
        assert hasattr(put, "row")
        return str(put.row.target_id)


class LinkEvidenceCommand(AnnotationCommand):
    def __init__(
        self, service: AnnotationService, event_id: str, source_id: str, start: int, end: int
    ) -> None:
        super().__init__(service, service.link_evidence(event_id, source_id, start, end))


class UnlinkEvidenceCommand(AnnotationCommand):
    def __init__(self, service: AnnotationService, annotation_id: str) -> None:
        super().__init__(service, service.unlink_evidence(annotation_id))


class ImportCommand(AnnotationCommand):
    """Everything new in another reviewer's export, in one transaction (undoable as a whole)."""

    def __init__(self, service: AnnotationService, plan: MergePlan) -> None:
        super().__init__(service, plan.edit)
        self.plan = plan


class ResolveConflictCommand(AnnotationCommand):
    """Take the other reviewer's version of a conflicting annotation."""

    def __init__(self, service: AnnotationService, theirs: Row) -> None:
        super().__init__(service, service.resolve(theirs))

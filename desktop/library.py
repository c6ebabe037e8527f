"""File → Import documents…, Remove imported document…, Export…: the user's documents in and out.

Imports run the whole pipeline in a worker thread behind a progress dialog
that can be cancelled; when a new database is complete the controller emits
``databaseChanged`` and the application reopens its window on it. Exports
honour the filters the selection context holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)
from sqlalchemy import Engine

from db.export import DESCRIPTIONS, FORMATS, export
from db.library import Library, LibraryError
from desktop.selection import SelectionContext


class _Worker(QObject):
    """Runs one library change (import or removal) off the GUI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)  # the result of the job
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: Callable[..., Any]) -> None:
        super().__init__()
        self._job = job
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True  # read by the build between its steps

    @Slot()
    def run(self) -> None:
        from db.build import BuildCancelled  # the pipeline loads when a change is made

        try:
            result = self._job(progress=self.progressed.emit, cancelled=lambda: self._cancel)
        except BuildCancelled:
            self.cancelled.emit()
        except LibraryError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            self.failed.emit(f"unexpected error: {exc!r}")
        else:
            if self._cancel:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)


class LibraryController(QObject):
    """Import/remove/export actions for a main window."""

    databaseChanged = Signal(object)  # Path of the database to reopen on
    finished = Signal(
        str
    )  # "imported", "removed", "cancelled", "failed" — for tests and the status bar

    def __init__(
        self,
        library: Library,
        engine: Engine,
        selection: SelectionContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.engine = engine
        self.selection = selection
        self._parent = parent
        self._thread: QThread | None = None
        self._outcome = ""
        self._worker: _Worker | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.last_message = ""

        self.import_action = QAction("&Import Documents…", self)
        self.import_action.setShortcut("Ctrl+I")
        self.import_action.setStatusTip(
            "Add your own documents (text, Markdown, HTML, DOCX, PDF) to every pane"
        )
        self.remove_action = QAction("&Remove Imported Document…", self)
        self.remove_action.setStatusTip("Remove a document you imported")
        self.export_action = QAction("&Export…", self)
        self.export_action.setShortcut("Ctrl+E")
        self.export_action.setStatusTip("Export the events passing the active filters")
        self.import_action.triggered.connect(self._on_import_action_triggered)
        self.remove_action.triggered.connect(self._on_remove_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)

    def install(self, window: QMainWindow) -> None:
        """Put the actions at the top of the window's File menu."""
        file_menu = next(
            (
                a.menu()
                for a in window.menuBar().actions()
                if a.text().replace("&", "") == "File" and a.menu()
            ),
            None,
        )
        if not isinstance(file_menu, QMenu):
            file_menu = window.menuBar().addMenu("&File")
        first = file_menu.actions()[0] if file_menu.actions() else None
        for action in (self.import_action, self.remove_action, self.export_action):
            file_menu.insertAction(first, action)
            window.addAction(action)
        file_menu.insertSeparator(first)
        self.remove_action.setEnabled(bool(self.library.documents()))

    @property
    def busy(self) -> bool:
        return self._thread is not None

    # --- import / remove -------------------------------------------------------------
    def import_files(self, paths: Sequence[Path]) -> None:
        """Import these files in the background, with a cancellable progress dialog."""
        names = ", ".join(Path(p).name for p in paths)
        self._start(
            lambda **kw: self.library.import_files([Path(p) for p in paths], **kw),
            f"Importing {names}…",
            "imported",
        )

    def remove_document(self, source_id: str) -> None:
        self._start(
            lambda **kw: self.library.remove(source_id, **kw), f"Removing {source_id}…", "removed"
        )

    def _start(self, job: Callable[..., Any], label: str, outcome: str) -> None:
        if self.busy:
            return
        dialog = QProgressDialog(label, "Cancel", 0, 100, self._parent)
        dialog.setWindowTitle("Chronoscope")
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        thread = QThread(self)
        worker = _Worker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Bound slots of this GUI-thread object, so the worker's signals are queued to
        # the GUI thread; the cancel flag is set directly (the worker's loop is busy).
        worker.progressed.connect(self._on_worker_progressed)
        worker.succeeded.connect(self._on_worker_succeeded)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)
        dialog.canceled.connect(lambda: worker.cancel())
        self._outcome = outcome
        self._thread, self._worker = thread, worker
        thread.start()

    @Slot(object)
    def _on_worker_succeeded(self, result: object) -> None:
        self._done(self._outcome, result)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._done("failed", message)

    @Slot()
    def _on_worker_cancelled(self) -> None:
        self._done("cancelled", None)

    @Slot(int, int, str)
    def _on_worker_progressed(self, step: int, steps: int, what: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setMaximum(steps)
            self.progress_dialog.setValue(step)
            self.progress_dialog.setLabelText(what[:1].upper() + what[1:] + "…")

    def _done(self, outcome: str, result: object) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        if outcome == "failed":
            self.last_message = f"Nothing was imported or removed: {result}"
            QMessageBox.warning(self._parent, "Chronoscope", self.last_message)
        elif outcome == "cancelled":
            self.last_message = "Cancelled; nothing changed."
        else:
            warnings = getattr(result, "warnings", [])
            self.last_message = "Done." + ("\n" + "\n".join(warnings) if warnings else "")
            self.remove_action.setEnabled(bool(self.library.documents()))
            database = self.library.database()
            self.databaseChanged.emit(database)
        self.finished.emit(outcome)

    # --- export -------------------------------------------------------------------------
    def export_to(self, fmt: str, out: Path) -> str:
        """Export the events passing the active filters, as the reviewer left them (corrected,
        rejected ones left out, their own events in); returns a one-line summary."""
        from db.query import review_of

        data = export(self.engine, fmt, out, self.selection.filters, review_of(self.engine))
        filtered = "" if self.selection.filters.is_empty() else " (filtered)"
        return f"Exported {len(data.events)} events{filtered} as {fmt} to {out}"

    # --- menu slots (dialogs) ------------------------------------------------------------
    @Slot()
    def _on_import_action_triggered(self) -> None:
        from db.convert import SUPPORTED_SUFFIXES  # the converters load when asked for

        patterns = " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent, "Import documents", "", f"Documents ({patterns});;All files (*)"
        )
        if paths:
            self.import_files([Path(p) for p in paths])

    @Slot()
    def _on_remove_action_triggered(self) -> None:
        docs = self.library.documents()
        if not docs:
            return
        labels = [f"{d.title} ({d.original_name})" for d in docs]
        choice, ok = QInputDialog.getItem(
            self._parent, "Remove imported document", "Document:", labels, 0, False
        )
        if ok and choice in labels:
            self.remove_document(docs[labels.index(choice)].id)

    @Slot()
    def _on_export_action_triggered(self) -> None:
        names = list(FORMATS)
        labels = [DESCRIPTIONS[n] for n in names]
        choice, ok = QInputDialog.getItem(self._parent, "Export", "Format:", labels, 0, False)
        if not ok or choice not in labels:
            return
        fmt = names[labels.index(choice)]
        if fmt == "csv":
            folder = QFileDialog.getExistingDirectory(self._parent, "Export CSV tables into folder")
            out = Path(folder) / "chronoscope-csv" if folder else None
        else:
            suffix = {
                "tei": ".xml",
                "graphml": ".graphml",
                "geojson": ".geojson",
                "webannotation": ".jsonld",
            }.get(fmt, ".json")
            path, _ = QFileDialog.getSaveFileName(self._parent, "Export", f"chronoscope{suffix}")
            out = Path(path) if path else None
        if out is None:
            return
        try:
            self.last_message = self.export_to(fmt, out)
        except OSError as exc:
            self.last_message = f"Export failed: {exc}"
            QMessageBox.warning(self._parent, "Chronoscope", self.last_message)

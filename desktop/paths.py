"""Per-user file locations, from QStandardPaths so they are right on Windows, macOS and Linux."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

ORG = "Chronoscope"
APP = "Chronoscope"


def _ensure_names() -> None:
    # QStandardPaths builds app-specific paths from these; set them even before a QApplication exists.
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORG)
    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName(APP)


def _location(kind: QStandardPaths.StandardLocation) -> Path:
    _ensure_names()
    path = Path(QStandardPaths.writableLocation(kind))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Rebuildable files: the bundled database built from a source checkout."""
    return _location(QStandardPaths.StandardLocation.CacheLocation)


def data_dir() -> Path:
    """The user's own work: the reviewer workspace, imported documents, backups."""
    return _location(QStandardPaths.StandardLocation.AppDataLocation)

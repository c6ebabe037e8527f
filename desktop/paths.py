"""Per-user file locations, from QStandardPaths so they are right on Windows, macOS and Linux."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

ORG = "Chronoscope"
APP = "Chronoscope"


def _is_default_name(name: str) -> bool:
    """Qt names an application after its executable ("main.py", "python3") until told otherwise."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("python")
    return name in ("", argv0.name, argv0.stem) or name.startswith("python")


def ensure_names() -> None:
    """Give Qt our organisation and application names unless something (a test) already did.

    QStandardPaths and QSettings build per-user paths from them; set them even before a
    QApplication exists.
    """
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORG)
    if _is_default_name(QCoreApplication.applicationName()):
        QCoreApplication.setApplicationName(APP)


_ensure_names = ensure_names


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

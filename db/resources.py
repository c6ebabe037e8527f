"""The one place that knows where bundled resource files live.

In a source checkout they are under ``resources/`` beside this package; in a
PyInstaller bundle they are under ``sys._MEIPASS/resources``. Everything the
application reads (corpus, curated data, fonts, icons, kiosk settings) is reached
through :func:`resource_path`, and the packaging spec bundles exactly the files
:data:`BUNDLED` names.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: Resource folders and files shipped with the application (relative to the
#: resources root). The PyInstaller spec and a test read this list.
BUNDLED: tuple[str, ...] = (
    "corpus",
    "curated",
    "fonts",
    "icons",
    "kiosk",
)


def resources_root() -> Path:
    """The folder holding the bundled resources, in a checkout or a frozen app."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("corpus", "sources.yaml")``."""
    return resources_root().joinpath(*parts)


def corpus_dir() -> Path:
    """The default corpus shipped with the application."""
    return resource_path("corpus")


def is_frozen() -> bool:
    return getattr(sys, "frozen", False) is True

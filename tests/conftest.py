"""Test isolation and shared fixtures.

Every test runs offscreen, with QStandardPaths in test mode (so nothing touches
the user's real settings, cache or data) and HOME/XDG paths in a temporary
folder. The default corpus is built once per test session into a temporary
database that tests open read-only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = tempfile.mkdtemp(prefix="chronoscope-test-home-")
for _var in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(Path(_HOME) / _var.lower())
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

QStandardPaths.setTestModeEnabled(True)
QCoreApplication.setOrganizationName("ChronoscopeTests")
QCoreApplication.setApplicationName("ChronoscopeTests")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "resources" / "corpus"


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own home: data (library, workspace), settings and cache start empty.

    QStandardPaths (in test mode: under ~/.qttest) reads HOME on every call, so a
    test's imports, annotations or saved window layout never leak into the next
    test. Tests that need the default corpus use the session's ``built_db``.
    """
    home = tmp_path_factory.mktemp("home")
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default corpus built once per session (read-only use only)."""
    from db.build import build_database

    out = tmp_path_factory.mktemp("built") / "chronoscope.sqlite"
    build_database(CORPUS, out)
    return out


@pytest.fixture(scope="session")
def parsed_corpus() -> dict[str, object]:
    """Each corpus document after the first ingest stage, by file-name prefix ('000' ... '004')."""
    from db.ingest import parse_document

    return {p.name[:3]: parse_document(p) for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture()
def engine(built_db: Path) -> Iterator[object]:
    from db.database import readonly_engine

    eng = readonly_engine(built_db)
    yield eng
    eng.dispose()

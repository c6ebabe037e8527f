"""The bundled database: prebuilt in a frozen app, built on first run in a source checkout."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from db.inputs import inputs_hash
from db.resources import corpus_dir, is_frozen, resource_path

DB_NAME = "chronoscope.sqlite"


def prebuilt_path() -> Path:
    """Where a frozen app carries its prebuilt database."""
    return resource_path(DB_NAME)


def stored_hash(path: Path) -> str | None:
    """The inputs hash a built database records, or None if it has none or cannot be read."""
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key='inputs_hash'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def ensure_bundled_database(cache_dir: Path, log: Callable[[str], None] = lambda _m: None) -> Path:
    """Path of the bundled database, (re)building it into ``cache_dir`` when its inputs changed."""
    prebuilt = prebuilt_path()
    if is_frozen():
        return prebuilt
    return ensure_built(
        corpus_dir(), Path(cache_dir) / DB_NAME, what="the bundled database", log=log
    )


def ensure_built(
    corpus: Path,
    target: Path,
    *,
    imported_dir: Path | None = None,
    what: str = "the database",
    log: Callable[[str], None] = lambda _m: None,
) -> Path:
    """``target`` built from ``corpus`` (and ``imported_dir``), rebuilt when their inputs changed."""
    wanted = inputs_hash(corpus, imported_dir)
    if target.is_file() and stored_hash(target) == wanted:
        return target
    from db.build import build_database  # the ingest pipeline: only when building

    log(f"building {what} into {target} ...")
    build_database(corpus, target, imported_dir=imported_dir, log=log)
    return target

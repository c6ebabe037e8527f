"""Engines for the two kinds of database file: the one a build writes, and the read-only bundled one."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool

from db.models import VIRTUAL_TABLES, Base


def writable_engine(path: Path, *, bulk: bool = False) -> Engine:
    """An engine on a database file being built. ``bulk`` trades durability for speed (builds only:
    the file is a temporary that is moved into place when complete)."""
    engine = create_engine(f"sqlite:///{Path(path).as_posix()}", poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_con: sqlite3.Connection, _rec: Any) -> None:
        cur = dbapi_con.cursor()
        if bulk:
            cur.execute("PRAGMA journal_mode=OFF")
            cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return engine


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    with engine.begin() as con:
        for ddl in VIRTUAL_TABLES:
            con.execute(text(ddl))


def readonly_engine(path: Path) -> Engine:
    """An engine on a finished database file, opened read-only (``mode=ro``).

    One shared connection (StaticPool): SQLite reads are fast and the GUI
    thread is the only reader.
    """
    uri = Path(path).resolve().as_uri() + "?mode=ro"

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        con.execute("PRAGMA query_only=ON")
        return con

    if not Path(path).is_file():
        raise FileNotFoundError(f"No database at {path}")
    return create_engine("sqlite://", creator=connect, poolclass=StaticPool)

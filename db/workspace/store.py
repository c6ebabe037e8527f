"""Opening the workspace file: durability settings, migrations, recovery and backups.

Every write is one ``BEGIN IMMEDIATE`` transaction on a WAL journal with
``synchronous=FULL``, so a committed action survives a crash or power cut.
A file that SQLite cannot read, that fails its integrity check or that was
written by an unknown (newer) schema is never overwritten: it is renamed
aside with its ``-wal``/``-shm`` companions, a fresh workspace starts, and
:attr:`Workspace.notice` says what happened so the GUI can tell the user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "head"
KEEP_BACKUPS = 5


if TYPE_CHECKING:
    from alembic.config import Config

#: The schema revisions this version knows, oldest first; the last is the head. Kept
#: here so that opening an up-to-date workspace needs neither alembic nor the migration
#: scripts (0.15–0.2 s of every start); a test checks it against the scripts.
REVISIONS = ("0001", "0002", "0003")


class WorkspaceError(Exception):
    """The workspace cannot be used (and could not be recovered)."""


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> set[str]:
    """Every schema revision this version of the application can read or upgrade from."""
    return set(REVISIONS)


def head_revision() -> str:
    return REVISIONS[-1]


def script_revisions() -> tuple[list[str], str | None]:
    """The revisions and head the migration scripts define (what REVISIONS must match)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return [rev.revision for rev in script.walk_revisions()], script.get_current_head()


def make_engine(path: Path) -> Engine:
    """One connection to the workspace file with the durability pragmas set."""

    def connect() -> sqlite3.Connection:
        # isolation_level=None: SQLAlchemy's "begin" hook below issues the BEGIN itself,
        # so reads and writes of one action share one IMMEDIATE (write-locked) transaction.
        con = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA busy_timeout=5000")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("PRAGMA foreign_keys=ON")
        return con

    engine = create_engine("sqlite://", creator=connect, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine, revision: str = HEAD) -> None:
    """Upgrade the schema in place (one transaction), e.g. to ``"0001"`` in tests."""
    from alembic import command

    with engine.connect() as con:
        command.upgrade(_alembic_config(con), revision)
        if con.in_transaction():
            con.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as con:
        has = con.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has:
            return None
        row = con.execute(text("SELECT version_num FROM alembic_version")).first()
        con.rollback()
    return None if row is None else str(row[0])


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _check_file(path: Path) -> str | None:
    """Why this file cannot be used as a workspace, or None when it can."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
            if result != ["ok"]:
                return (
                    "it failed SQLite's integrity check (" + "; ".join(map(str, result[:3])) + ")"
                )
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if tables and "alembic_version" not in tables:
                return "it is an SQLite file but not a Chronoscope workspace"
            if "alembic_version" in tables:
                revs = [r[0] for r in con.execute("SELECT version_num FROM alembic_version")]
                unknown = [r for r in revs if r not in known_revisions()]
                if unknown:
                    return f"it was written by a newer Chronoscope (schema {unknown[0]})"
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"SQLite cannot read it ({exc})"
    return None


def _move_aside(path: Path, reason: str) -> Path:
    aside = path.with_name(f"{path.stem}.unreadable-{_stamp()}{path.suffix}")
    os.replace(path, aside)
    for extra in ("-wal", "-shm", "-journal"):
        companion = Path(str(path) + extra)
        if companion.exists():
            os.replace(companion, Path(str(aside) + extra))
    (aside.with_name(aside.name + ".txt")).write_text(
        f"Chronoscope moved this workspace aside on {datetime.now(UTC).isoformat()} because {reason}.\n",
        encoding="utf-8",
    )
    return aside


class Workspace:
    """An open workspace file. Use :func:`open_workspace`."""

    def __init__(self, path: Path, engine: Engine, *, keep: int = KEEP_BACKUPS) -> None:
        self.path = path
        self.engine = engine
        self.keep = keep
        #: Message for the user when the workspace had to be recovered, else None.
        self.notice: str | None = None
        #: Where an unreadable workspace was moved, when that happened.
        self.moved_aside: Path | None = None

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    @property
    def backup_dir(self) -> Path:
        return self.path.parent / "backups"

    # --- checks ---------------------------------------------------------------
    def integrity_check(self) -> str:
        with self.engine.connect() as con:
            rows = [str(r[0]) for r in con.exec_driver_sql("PRAGMA integrity_check")]
            con.rollback()
        return "; ".join(rows)

    def revision(self) -> str | None:
        return current_revision(self.engine)

    # --- backups ----------------------------------------------------------------
    @contextlib.contextmanager
    def _raw(self) -> Iterator[sqlite3.Connection]:
        raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            yield driver
        finally:
            raw.close()

    def backups(self) -> list[Path]:
        """Backups of this workspace, newest first."""
        if not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob(f"{self.path.stem}-*.sqlite"), reverse=True)

    def backup(self, *, protect: Path | None = None) -> Path:
        """A consistent copy of the workspace now (SQLite's online backup); keeps the last ``keep``.

        ``protect``: a backup that must survive this rotation (the one being restored).
        """
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        target = self.backup_dir / f"{self.path.stem}-{_stamp()}.sqlite"
        tmp = target.with_suffix(".partial")
        dst = sqlite3.connect(str(tmp))
        try:
            with self._raw() as src:
                src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        os.replace(tmp, target)
        for old in [b for b in self.backups() if b != protect][self.keep :]:
            old.unlink(missing_ok=True)
        return target

    def restore(self, backup: Path) -> Path:
        """Replace the workspace's content with a backup; the current state is backed up first.

        Returns the backup of the state that was replaced.
        """
        if _check_file(backup) is not None:
            raise WorkspaceError(f"{backup.name} is not a usable backup: {_check_file(backup)}")
        saved = self.backup(protect=backup)
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            with self._raw() as dst:
                src.backup(dst)
        finally:
            src.close()
        migrate(self.engine)  # the backup may predate a schema upgrade
        return saved

    def close(self) -> None:
        with contextlib.suppress(Exception), self._raw() as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()


def open_workspace(path: Path, *, keep: int = KEEP_BACKUPS, backup: bool = True) -> Workspace:
    """Open (creating or upgrading) the workspace at ``path``; never loses an existing file.

    An unusable file is moved aside and a fresh workspace started; the returned
    workspace's ``notice`` then says so. An existing workspace is backed up
    before it is opened (so before any migration).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    problem = _check_file(path)
    moved: Path | None = None
    if problem is not None:
        moved = _move_aside(path, problem)
    existed = path.exists() and path.stat().st_size > 0
    engine = make_engine(path)
    ws = Workspace(path, engine, keep=keep)
    try:
        if existed and backup:
            ws.backup()
        if current_revision(engine) != head_revision():
            migrate(engine)
    except Exception as exc:  # a failure here must not lose the file either
        engine.dispose()
        if moved is not None:
            raise WorkspaceError(f"Could not create a fresh workspace at {path}: {exc}") from exc
        moved = _move_aside(path, f"it could not be opened or upgraded ({exc})")
        problem = f"it could not be opened or upgraded ({exc})"
        engine = make_engine(path)
        ws = Workspace(path, engine, keep=keep)
        migrate(engine)
    if moved is not None:
        ws.moved_aside = moved
        ws.notice = (
            f"Your workspace could not be opened because {problem}. It was kept as "
            f"{moved.name} in {moved.parent}, and a new empty workspace was started. "
            "Earlier backups are listed under Annotations › Restore backup."
        )
    return ws


def copy_file(src: Path, dst: Path) -> None:
    """Copy a closed workspace file (tests and support tools)."""
    shutil.copyfile(src, dst)

"""The build's later stages, in order. Each is a module exposing ``run(ctx: BuildContext)``.

Listed by name so each stage lives in its own package and can be developed
and tested alone: time expressions first (events need them), then entities,
then events, then the per-entity counts the entity pane shows.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from db.build import BuildContext
    from db.ingest import ParsedDocument

STAGE_MODULES = (
    "db.timex.stage",
    "db.entities.stage",
    "db.events.stage",
    "db.search_index",  # search tables over entities, aliases and events (after events)
)


@functools.cache
def all_stages() -> tuple[Callable[[BuildContext], None], ...]:
    """The stages' ``run`` functions, in order (imported on first use: stage modules
    import this module's helpers, so importing them here at load time would be circular)."""
    return tuple(_load())


def _load() -> list[Callable[[BuildContext], None]]:
    stages = []
    for name in STAGE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # stage not present in this build of the pipeline
            raise
        stages.append(module.run)
    return stages


def prepare_document(doc: ParsedDocument) -> dict[str, Any]:
    """Per-document work of the stages that offer it (``prepare(doc, ahead)``), by stage module.

    Runs in worker processes for large corpora: what a stage can do for one document
    alone (tagging its dates, matching its names, drafting its events) is done there,
    in parallel; the stage's ``run`` then uses ``ctx.data["prepared"][source_id][module]``
    when present. ``ahead`` holds what the earlier stages' ``prepare`` returned for the
    same document (the events stage drafts from the dates the timex stage found).
    """
    out: dict[str, Any] = {}
    for stage in all_stages():
        module = importlib.import_module(stage.__module__)
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            out[stage.__module__] = prepare(doc, out)
    return out


def prepared(ctx: BuildContext, source_id: str, module: str) -> Any:
    """What ``prepare`` computed ahead for this document, or None."""
    return ctx.data.get("prepared", {}).get(source_id, {}).get(module)


def insert_tuples(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """executemany of plain tuples on the session's own connection and transaction.

    A large corpus has millions of rows (mentions, passages, expressions): this is 2.5
    times faster than ``session.execute(insert(table), dicts)`` (Core builds a dict per
    row and compiles parameters from it). The column names come from the table, so the
    statement follows the model."""
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":  # not SQLite: let SQLAlchemy bind
        session.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in rows])
        return
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(table.c[c].name) for c in columns)
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)


@contextlib.contextmanager
def indexes_built_after(session: Session, table: Table) -> Iterator[None]:
    """Drop the table's secondary indexes for a bulk insert and build them again after it.

    Sorting millions of rows (mentions, expressions) into their indexes once is about
    twice as fast as inserting into them row by row; the indexes are created again from
    their own stored definitions, so the schema is unchanged. (SQLite only; elsewhere a
    no-op.)
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY rowid",
        (table.name,),
    ).fetchall()
    quote = connection.dialect.identifier_preparer.quote
    for name, _sql in indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield  # (on an error the transaction, with the drops, is rolled back)
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)

"""Build stage: the search tables beside ``passage_fts`` (runs after the events stage).

- ``entity_fts``: each entity's name and all its aliases, folded by
  :func:`db.search.fold`, so ``Shushi`` and ``Kazim`` find their entity.
- ``event_fts``: event titles, folded the same way.
- ``search_variant``: the passage words that FTS5's ``unicode61
  remove_diacritics 2`` indexes under a spelling :func:`~db.search.fold`
  folds further (``kazım`` → ``kazim``), so a query word can be expanded to
  the indexed spellings. Only words with non-ASCII letters can differ, so the
  scan is quick.

The DDL is in :data:`DDL`; a database built without this stage still
searches (entities and events then fall back to a scan in Python).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from db.search import fold

if TYPE_CHECKING:
    from db.build import BuildContext

DDL = (
    "CREATE TABLE IF NOT EXISTS search_variant ("
    "folded TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (folded, term)) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE IF NOT EXISTS entity_fts USING fts5("
    "entity_id UNINDEXED, name, aliases, "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3 4')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS event_fts USING fts5("
    "event_id UNINDEXED, title, "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3 4')",
)

#: A word holding at least one non-ASCII letter or digit.
_NON_ASCII_WORD = re.compile(r"[^\W_]*[^\x00-\x7f\W][^\W_]*")


def fts_term(word: str) -> str:
    """The term FTS5's unicode61 (remove_diacritics 2) indexes for ``word``, approximately."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def variants(texts: Iterable[str]) -> set[tuple[str, str]]:
    """(folded, indexed term) for each word whose indexed term is not fully folded."""
    out: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for t in texts:
        for m in _NON_ASCII_WORD.finditer(t):
            w = m.group()
            if w in seen:
                continue
            seen.add(w)
            term = fts_term(w)
            folded = fold(w)
            if folded != term:
                out.add((folded, term))
    return out


def create_tables(con: Connection) -> None:
    for ddl in DDL:
        con.execute(text(ddl))


def fill(con: Connection, passage_texts: Iterable[str]) -> dict[str, int]:
    """Fill the search tables from the entity, alias and event tables and the passage texts."""
    create_tables(con)
    for table in ("search_variant", "entity_fts", "event_fts"):
        con.execute(text(f"DELETE FROM {table}"))
    rows = [{"f": f, "t": t} for f, t in sorted(variants(passage_texts))]
    if rows:
        con.execute(text("INSERT INTO search_variant (folded, term) VALUES (:f, :t)"), rows)
    entities: dict[str, tuple[str, list[str]]] = {}
    for eid, name in con.execute(text("SELECT id, name FROM entity")):
        entities[str(eid)] = (str(name), [])
    for eid, alias in con.execute(text("SELECT entity_id, text FROM alias")):
        if str(eid) in entities:
            entities[str(eid)][1].append(str(alias))
    ent_rows = [
        {"id": eid, "n": fold(name), "a": fold(" ; ".join(dict.fromkeys(aliases)))}
        for eid, (name, aliases) in entities.items()
    ]
    if ent_rows:
        con.execute(
            text("INSERT INTO entity_fts (entity_id, name, aliases) VALUES (:id, :n, :a)"),
            ent_rows,
        )
    ev_rows = [
        {"id": str(eid), "t": fold(str(title))}
        for eid, title in con.execute(text("SELECT id, title FROM event ORDER BY rowkey"))
    ]
    if ev_rows:
        con.execute(text("INSERT INTO event_fts (event_id, title) VALUES (:id, :t)"), ev_rows)
    for table in ("entity_fts", "event_fts"):
        con.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
    return {"variants": len(rows), "entities": len(ent_rows), "events": len(ev_rows)}


def run(ctx: BuildContext) -> None:
    """Build stage entry point (after ``db.events.stage``)."""
    ctx.session.flush()
    con = ctx.session.connection()
    texts = (p.text for rows in ctx.passages.values() for p in rows)
    n = fill(con, texts)
    ctx.log(
        f"search index: {n['entities']} entities, {n['events']} events, "
        f"{n['variants']} folded spellings"
    )

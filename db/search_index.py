"""Build stage: the search tables beside ``passage_fts`` (runs after the events stage).

- ``entity_fts``: each entity's name and all its aliases, folded by
  :func:`db.search.fold`, so ``Shushi`` and ``Kazim`` find their entity.
- ``event_fts``: event titles, folded the same way.
- ``search_term``: every word of the passages as FTS5's ``unicode61
  remove_diacritics 2`` indexes it, beside its folded form (:func:`~db.search.fold`).
  Search expands a prefix to the few indexed words it starts
  (``armenian`` → ``armenian OR armenians``): FTS5 answers an OR of words
  lazily, while a prefix longer than its prefix indexes (4) makes it merge
  the doclists of all those words first, which for a common word in a 100 MB
  corpus costs tens of milliseconds. The folded form also finds the spellings
  unicode61 does not fold (``kazim`` → ``kazım``).

The DDL is in :data:`DDL`; a database built without this stage still
searches (entities and events then fall back to a scan in Python).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from db.search import fold, fts_term
from db.stages import prepared

if TYPE_CHECKING:
    from db.build import BuildContext
    from db.ingest import ParsedDocument

DDL = (
    "CREATE TABLE IF NOT EXISTS search_term ("
    "folded TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (folded, term)) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE IF NOT EXISTS entity_fts USING fts5("
    "entity_id UNINDEXED, name, aliases, "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3 4')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS event_fts USING fts5("
    "event_id UNINDEXED, title, "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3 4')",
)

#: A word as unicode61 cuts text: letters, digits (and private-use characters).
_WORD = re.compile(r"[^\W_]+")


def words_of(texts: Iterable[str]) -> set[str]:
    """Every distinct word of ``texts``, as unicode61 cuts them."""
    words: set[str] = set()
    for t in texts:
        words.update(_WORD.findall(t))
    return words


def terms(texts: Iterable[str], words: Iterable[str] = ()) -> set[tuple[str, str]]:
    """(folded, indexed term) for every distinct word of ``texts`` and of ``words``."""
    every = words_of(texts)
    every.update(words)
    return {(fold(w), fts_term(w)) for w in every}


def create_tables(con: Connection) -> None:
    for ddl in DDL:
        con.execute(text(ddl))


def fill(
    con: Connection, passage_texts: Iterable[str], words: Iterable[str] = ()
) -> dict[str, int]:
    """Fill the search tables from the entity, alias and event tables and the passage texts
    (``words``: the distinct words of more passages, found ahead by :func:`words_of`)."""
    create_tables(con)
    for table in ("search_term", "entity_fts", "event_fts"):
        con.execute(text(f"DELETE FROM {table}"))
    rows = [{"f": f, "t": t} for f, t in sorted(terms(passage_texts, words))]
    if rows:
        con.execute(text("INSERT INTO search_term (folded, term) VALUES (:f, :t)"), rows)
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
    return {"terms": len(rows), "entities": len(ent_rows), "events": len(ev_rows)}


def prepare(doc: ParsedDocument, ahead: dict[str, Any]) -> set[str]:
    """The per-document part (in a worker process for large corpora): the distinct words
    of the document's passages."""
    return words_of(doc.normalized[start:end] for start, end, _kind, _p in doc.passages())


def run(ctx: BuildContext) -> None:
    """Build stage entry point (after ``db.events.stage``)."""
    ctx.session.flush()
    con = ctx.session.connection()
    words: set[str] = set()
    texts: list[str] = []
    for sid, rows in ctx.passages.items():
        found = prepared(ctx, sid, __name__)
        if found is not None:
            words.update(found)
        else:
            texts.extend(p.text for p in rows)
    n = fill(con, texts, words)
    ctx.log(
        f"search index: {n['entities']} entities, {n['events']} events, {n['terms']} distinct words"
    )

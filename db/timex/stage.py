"""Build stage: tag every document and store its time expressions.

Each expression is linked to the passage that contains it; ``anchor_id``
points at the row an underspecified or relative expression took its date
from. The rows are also left in ``ctx.data["timex"]`` (per source id, as
``(row id, TimeExpr)``) for later stages that prefer not to re-query.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select, update

from db.models import TimeExpression, table_of
from db.stages import indexes_built_after, insert_tuples, prepared
from db.timex import TimeExpr, tag_document

if TYPE_CHECKING:
    from db.build import BuildContext
    from db.ingest import ParsedDocument


def prepare(doc: ParsedDocument, ahead: dict[str, Any]) -> list[TimeExpr]:
    """The per-document part (run in a worker process for large corpora)."""
    return tag_document(doc)


#: The columns :func:`run` fills, in the order of its row tuples.
_COLUMNS = (
    "id",
    "source_id",
    "passage_id",
    "start",
    "end",
    "text",
    "value",
    "earliest",
    "latest",
    "precision",
    "kind",
    "calendar",
    "julian",
    "anchor_id",
    "confidence",
)


def run(ctx: BuildContext) -> None:
    """Insert the time expressions of every document in ``ctx`` (ids continue the table's)."""
    next_id = (
        int(ctx.session.execute(select(func.coalesce(func.max(TimeExpression.id), 0))).scalar_one())
        + 1
    )
    rows: list[tuple[Any, ...]] = []
    later: list[dict[str, int]] = []  # anchors on a later row, set once that row exists
    found: dict[str, list[tuple[int, TimeExpr]]] = {}
    for source_id, doc in ctx.documents:
        passages = ctx.passages.get(source_id, [])
        if not passages:
            continue
        starts = [p.start for p in passages]
        found[source_id] = []
        ahead = prepared(ctx, source_id, __name__)
        tagged = ahead if ahead is not None else tag_document(doc)
        # Ids first: an anchor may be a date later in the same paragraph.
        ids = list(range(next_id, next_id + len(tagged)))
        next_id += len(tagged)
        for row_id, tx in zip(ids, tagged, strict=True):
            i = max(0, bisect.bisect_right(starts, tx.start) - 1)
            found[source_id].append((row_id, tx))
            anchor_id = ids[tx.anchor] if tx.anchor is not None else None
            if anchor_id is not None and anchor_id > row_id:
                later.append({"tid": row_id, "aid": anchor_id})
                anchor_id = None
            rows.append(
                (
                    row_id,
                    source_id,
                    passages[i].id,
                    tx.start,
                    tx.end,
                    tx.text,
                    tx.value,
                    tx.earliest,
                    tx.latest,
                    tx.precision,
                    tx.kind,
                    tx.calendar,
                    tx.julian,
                    anchor_id,
                    tx.confidence,
                )
            )
    if rows:
        # Plain tuples through executemany: the ORM's per-row parameter handling cost
        # more than SQLite's insert for the hundreds of thousands of a large corpus.
        table = table_of(TimeExpression)
        with indexes_built_after(ctx.session, table):
            insert_tuples(ctx.session, table, _COLUMNS, rows)
        if later:
            # Core executemany on the table (the ORM's bulk update wants primary-key rows).
            ctx.session.connection().execute(
                update(table)
                .where(table.c.id == bindparam("tid"))
                .values(anchor_id=bindparam("aid")),
                later,
            )
    ctx.data["timex"] = found
    ctx.log(f"time expressions: {len(rows)}")

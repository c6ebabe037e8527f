"""Build stage: tag every document and store its time expressions.

Each expression is linked to the passage that contains it; ``anchor_id``
points at the row an underspecified or relative expression took its date
from. The rows are also left in ``ctx.data["timex"]`` (per source id, as
``(row id, TimeExpr)``) for later stages that prefer not to re-query.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, insert, select, update

from db.models import TimeExpression, table_of
from db.stages import prepared
from db.timex import TimeExpr, tag_document

if TYPE_CHECKING:
    from db.build import BuildContext
    from db.ingest import ParsedDocument


def prepare(doc: ParsedDocument, ahead: dict[str, Any]) -> list[TimeExpr]:
    """The per-document part (run in a worker process for large corpora)."""
    return tag_document(doc)


def run(ctx: BuildContext) -> None:
    """Insert the time expressions of every document in ``ctx`` (ids continue the table's)."""
    next_id = (
        int(ctx.session.execute(select(func.coalesce(func.max(TimeExpression.id), 0))).scalar_one())
        + 1
    )
    rows: list[dict[str, Any]] = []
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
            rows.append(
                {
                    "id": row_id,
                    "source_id": source_id,
                    "passage_id": passages[i].id,
                    "start": tx.start,
                    "end": tx.end,
                    "text": tx.text,
                    "value": tx.value,
                    "earliest": tx.earliest,
                    "latest": tx.latest,
                    "precision": tx.precision,
                    "kind": tx.kind,
                    "calendar": tx.calendar,
                    "julian": tx.julian,
                    "anchor_id": ids[tx.anchor] if tx.anchor is not None else None,
                    "_forward": tx.anchor is not None and ids[tx.anchor] > row_id,
                    "confidence": tx.confidence,
                }
            )
    if rows:
        # Rows anchored on a later row get their anchor once that row exists.
        later = [{"tid": r["id"], "aid": r["anchor_id"]} for r in rows if r.pop("_forward")]
        for r in rows:
            if r["anchor_id"] is not None and r["anchor_id"] > r["id"]:
                r["anchor_id"] = None
        ctx.session.execute(insert(table_of(TimeExpression)), rows)
        if later:
            # Core executemany on the table (the ORM's bulk update wants primary-key rows).
            ctx.session.connection().execute(
                update(table_of(TimeExpression))
                .where(table_of(TimeExpression).c.id == bindparam("tid"))
                .values(anchor_id=bindparam("aid")),
                later,
            )
    ctx.data["timex"] = found
    ctx.log(f"time expressions: {len(rows)}")

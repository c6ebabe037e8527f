"""Build stage: tag every document and store its time expressions.

Each expression is linked to the passage that contains it; ``anchor_id``
points at the row an underspecified or relative expression took its date
from. The rows are also left in ``ctx.data["timex"]`` (per source id, as
``(row id, TimeExpr)``) for later stages that prefer not to re-query.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from db.models import TimeExpression
from db.timex import TimeExpr, tag_document

if TYPE_CHECKING:
    from db.build import BuildContext


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
        ids: list[int] = []
        found[source_id] = []
        for tx in tag_document(doc):
            i = max(0, bisect.bisect_right(starts, tx.start) - 1)
            row_id = next_id
            next_id += 1
            ids.append(row_id)
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
                    "confidence": tx.confidence,
                }
            )
    if rows:
        ctx.session.execute(insert(TimeExpression), rows)
    ctx.data["timex"] = found
    ctx.log(f"time expressions: {len(rows)}")

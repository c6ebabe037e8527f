"""Curator reports over a built database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Entity, Mention, Passage

EXAMPLES = 3


def unknown_names(engine: Engine) -> list[dict[str, Any]]:
    """Names the gazetteer does not cover (entities discovered in the build, ``curated`` false),
    most frequent first: ``{"name", "id", "type", "count", "examples": [{"source", "passage"}]}``."""
    with Session(engine) as s:
        entities = s.execute(
            select(Entity.id, Entity.name, Entity.type, Entity.mention_count)
            .where(Entity.curated.is_(False))
            .order_by(Entity.mention_count.desc(), Entity.name)
        ).all()
        examples: dict[str, list[dict[str, str]]] = {e.id: [] for e in entities}
        rows = s.execute(
            select(Mention.entity_id, Mention.source_id, Passage.text)
            .join(Passage, Passage.id == Mention.passage_id)
            .join(Entity, Entity.id == Mention.entity_id)
            .where(Entity.curated.is_(False))
            .order_by(Mention.source_id, Mention.start)
        ).all()
        for entity_id, source_id, text in rows:
            ex = examples[entity_id]
            if len(ex) < EXAMPLES:
                ex.append({"source": source_id, "passage": text})
    return [
        {
            "name": e.name,
            "id": e.id,
            "type": e.type,
            "count": e.mention_count,
            "examples": examples[e.id],
        }
        for e in entities
    ]

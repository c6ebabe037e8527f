"""The few reads of the bundled (read-only) database the annotation service needs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Entity, Event, Mention, Meta, Passage, Source, TimeExpression


@dataclass(frozen=True)
class TimexHit:
    start: int
    end: int
    text: str
    value: str
    earliest: int
    latest: int
    precision: str


def source_text(engine: Engine, source_id: str) -> str | None:
    with Session(engine) as s:
        return s.scalar(select(Source.normalized_text).where(Source.id == source_id))


def source_texts(engine: Engine, ids: set[str] | None = None) -> dict[str, str]:
    q = select(Source.id, Source.normalized_text)
    if ids is not None:
        q = q.where(Source.id.in_(sorted(ids)))
    with Session(engine) as s:
        return {str(k): str(v) for k, v in s.execute(q)}


def passage_at(engine: Engine, source_id: str, offset: int) -> int | None:
    with Session(engine) as s:
        return s.scalar(
            select(Passage.id)
            .where(Passage.source_id == source_id, Passage.start <= offset, Passage.end > offset)
            .order_by(Passage.start.desc())
            .limit(1)
        )


def passage_span(engine: Engine, passage_id: int) -> tuple[str, int, int] | None:
    with Session(engine) as s:
        row = s.execute(
            select(Passage.source_id, Passage.start, Passage.end).where(Passage.id == passage_id)
        ).first()
    return None if row is None else (row[0], row[1], row[2])


def mentions_in(engine: Engine, source_id: str, start: int, end: int) -> list[tuple[str, str]]:
    """(entity id, entity type) of participant mentions inside a span, in text order, once each."""
    with Session(engine) as s:
        rows = s.execute(
            select(Mention.entity_id, Entity.type)
            .join(Entity, Entity.id == Mention.entity_id)
            .where(
                Mention.source_id == source_id,
                Mention.start >= start,
                Mention.end <= end,
                Mention.as_participant.is_(True),
            )
            .order_by(Mention.start)
        ).all()
    seen: dict[str, str] = {}
    for entity_id, etype in rows:
        seen.setdefault(entity_id, etype)
    return list(seen.items())


def timexes_in(engine: Engine, source_id: str, start: int, end: int) -> list[TimexHit]:
    """Resolved dates the tagger stored inside a span (durations excluded)."""
    with Session(engine) as s:
        rows = s.execute(
            select(TimeExpression)
            .where(
                TimeExpression.source_id == source_id,
                TimeExpression.start >= start,
                TimeExpression.end <= end,
                TimeExpression.earliest.is_not(None),
                TimeExpression.precision != "duration",
            )
            .order_by(TimeExpression.start)
        ).scalars()
        return [
            TimexHit(
                t.start, t.end, t.text, t.value or "", t.earliest or 0, t.latest or 0, t.precision
            )
            for t in rows
            if t.earliest is not None and t.latest is not None
        ]


def event_exists(engine: Engine, event_id: str) -> bool:
    with Session(engine) as s:
        return s.scalar(select(Event.id).where(Event.id == event_id)) is not None


def entity_type(engine: Engine, entity_id: str) -> str | None:
    with Session(engine) as s:
        return s.scalar(select(Entity.type).where(Entity.id == entity_id))


def fingerprint(engine: Engine) -> str:
    """Identifies a bundled build: its inputs, pipeline and schema (or its sources' hashes)."""
    with Session(engine) as s:
        meta = {str(k): str(v) for k, v in s.execute(select(Meta.key, Meta.value))}
        if meta.get("inputs_hash"):
            return (
                f"{meta['inputs_hash']}/{meta.get('pipeline_version')}/{meta.get('schema_version')}"
            )
        hashes = s.scalars(select(Source.sha256).order_by(Source.id))
        return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def event_title(engine: Engine, event_id: str) -> str | None:
    with Session(engine) as s:
        return s.scalar(select(Event.title).where(Event.id == event_id))


def entity_name(engine: Engine, entity_id: str) -> str | None:
    with Session(engine) as s:
        return s.scalar(select(Entity.name).where(Entity.id == entity_id))

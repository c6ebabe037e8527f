"""The complete, lossless export: the ``chronoscope`` JSON shape of DESIGN.md."""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Alias, Entity, Event, Evidence, Mention, Participant, Source

EXPORT_PRECISIONS = ("day", "part_of_month", "month", "season", "year")


def day_text(day: int, precision: str) -> str:
    """A day number as YYYY, YYYY-MM or YYYY-MM-DD depending on precision."""
    d = date.fromordinal(day)
    if precision in ("year", "decade", "century"):
        return f"{d.year:04d}"
    if precision in ("month", "season"):
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def build_document(engine: Engine) -> dict[str, Any]:
    """The whole database in the ``chronoscope`` JSON shape."""
    with Session(engine) as s:
        sources = [
            {"id": src.id, "title": src.title, "text": src.normalized_text}
            for src in s.scalars(select(Source).order_by(Source.ordinal))
        ]
        aliases: dict[str, list[str]] = defaultdict(list)
        for a in s.scalars(select(Alias).order_by(Alias.entity_id, Alias.id)):
            aliases[a.entity_id].append(a.text)
        mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        mention_rows = s.execute(
            select(Mention.entity_id, Mention.source_id, Mention.start, Mention.end).order_by(
                Mention.id
            )
        )
        for m in mention_rows:
            mentions[m.entity_id].append({"source": m.source_id, "start": m.start, "end": m.end})
        entities = []
        for ent in s.scalars(select(Entity).order_by(Entity.id)):
            item: dict[str, Any] = {
                "id": ent.id,
                "type": ent.type,
                "name": ent.name,
                "aliases": aliases.get(ent.id, []),
            }
            if ent.lat is not None and ent.lon is not None:
                item["lat"], item["lon"] = ent.lat, ent.lon
            item["mentions"] = mentions.get(ent.id, [])
            entities.append(item)
        parts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        part_rows = s.execute(
            select(Participant.event_id, Participant.entity_id, Participant.role).order_by(
                Participant.id
            )
        )
        for p in part_rows:
            parts[p.event_id].append((p.entity_id, p.role))
        evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for evd in s.scalars(select(Evidence).order_by(Evidence.id)):
            evidence[evd.event_id].append(
                {"source": evd.source_id, "start": evd.start, "end": evd.end, "text": evd.text}
            )
        events = []
        for ev in s.scalars(select(Event).order_by(Event.earliest, Event.id)):
            start = day_text(ev.earliest, ev.precision)
            end = day_text(ev.latest, ev.precision)
            ps = parts.get(ev.id, [])
            events.append(
                {
                    "id": ev.id,
                    "title": ev.title,
                    "kind": ev.kind,
                    "start": start,
                    "end": None if end == start else end,
                    "precision": ev.precision if ev.precision in EXPORT_PRECISIONS else "year",
                    "julian": ev.julian,
                    "participants": [e for e, role in ps if role != "place"],
                    "places": [e for e, role in ps if role == "place"],
                    "evidence": evidence.get(ev.id, []),
                    "origin": ev.origin,
                }
            )
    return {
        "format": "chronoscope",
        "version": 1,
        "sources": sources,
        "entities": entities,
        "events": events,
    }


def write_json(engine: Engine, out: Path) -> None:
    doc = build_document(engine)
    write_atomically(out, json.dumps(doc, ensure_ascii=False, indent=1))


def write_atomically(out: Path, content: str) -> None:
    """Write text to ``out`` via a temporary file, so a failed export never leaves half a file."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

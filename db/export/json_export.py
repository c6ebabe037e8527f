"""The complete, lossless export: the ``chronoscope`` JSON shape of DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from db.export.data import ExportData
from db.files import write_text_atomically


def document(data: ExportData) -> dict[str, Any]:
    """The export as a JSON-ready dict."""
    entities = []
    for ent in data.involved:
        item: dict[str, Any] = {
            "id": ent.id,
            "type": ent.type,
            "name": ent.name,
            "aliases": ent.aliases,
        }
        if ent.lat is not None and ent.lon is not None:
            item["lat"], item["lon"] = ent.lat, ent.lon
        item["mentions"] = [
            {"source": m.source, "start": m.start, "end": m.end} for m in ent.mentions
        ]
        entities.append(item)
    events = [
        {
            "id": ev.id,
            "title": ev.title,
            "kind": ev.kind,
            "start": ev.start_text,
            "end": ev.end_text,
            "precision": ev.export_precision,
            "julian": ev.julian,
            "participants": ev.actors,
            "places": ev.places,
            "evidence": [
                {"source": e.source, "start": e.start, "end": e.end, "text": e.text}
                for e in ev.evidence
            ],
            "origin": ev.origin,
        }
        for ev in data.events
    ]
    return {
        "format": "chronoscope",
        "version": 1,
        "sources": [{"id": s.id, "title": s.title, "text": s.text} for s in data.sources],
        "entities": entities,
        "events": events,
    }


def write_json(data: ExportData, out: Path) -> None:
    write_text_atomically(out, json.dumps(document(data), ensure_ascii=False, indent=1) + "\n")

"""GeoJSON (RFC 7946): places with their coordinates and the events that happened there."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from db.export.data import ExportData
from db.files import write_text_atomically


def document(data: ExportData) -> dict[str, Any]:
    events_at: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in data.events:
        for place in ev.places:
            events_at[place].append(
                {
                    "id": ev.id,
                    "title": ev.title,
                    "kind": ev.kind,
                    "start": ev.start_text,
                    "end": ev.end_text,
                    "precision": ev.export_precision,
                }
            )
    features = []
    for ent in data.entities:
        if ent.type != "place" or ent.lat is None or ent.lon is None:
            continue
        if data.filtered and ent.id not in events_at:
            continue
        features.append(
            {
                "type": "Feature",
                "id": ent.id,
                # RFC 7946: longitude first, WGS 84 decimal degrees.
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(ent.lon, 6), round(ent.lat, 6)],
                },
                "properties": {
                    "name": ent.name,
                    "aliases": ent.aliases,
                    "description": ent.description,
                    "approximate": ent.coord_approx,
                    "events": events_at.get(ent.id, []),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(data: ExportData, out: Path) -> None:
    write_text_atomically(out, json.dumps(document(data), ensure_ascii=False, indent=1) + "\n")

"""CSV: events, entities, evidence, participants and mentions as linked tables in one folder."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from db.export.data import ExportData
from db.files import write_folder_atomically


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    # A BOM so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_csv(data: ExportData, out: Path) -> None:
    """``out`` is a folder: events.csv, entities.csv, evidence.csv, participants.csv, mentions.csv."""
    files = {
        "events.csv": _csv(
            (
                "event_id",
                "title",
                "kind",
                "start",
                "end",
                "precision",
                "date_as_written",
                "julian",
                "phase_id",
                "origin",
            ),
            (
                (
                    ev.id,
                    ev.title,
                    ev.kind,
                    ev.start_text,
                    ev.end_text,
                    ev.export_precision,
                    ev.date_text,
                    ev.julian,
                    ev.phase_id,
                    ev.origin,
                )
                for ev in data.events
            ),
        ),
        "entities.csv": _csv(
            (
                "entity_id",
                "type",
                "name",
                "aliases",
                "description",
                "lat",
                "lon",
                "coordinates_approximate",
            ),
            (
                (
                    e.id,
                    e.type,
                    e.name,
                    " | ".join(e.aliases),
                    e.description,
                    e.lat,
                    e.lon,
                    e.coord_approx if e.lat is not None else None,
                )
                for e in data.involved
            ),
        ),
        "evidence.csv": _csv(
            ("event_id", "source_id", "start", "end", "date_as_written", "text"),
            (
                (ev.id, x.source, x.start, x.end, x.date_text, x.text)
                for ev in data.events
                for x in ev.evidence
            ),
        ),
        "participants.csv": _csv(
            ("event_id", "entity_id", "role"),
            ((ev.id, ent, role) for ev in data.events for ent, role in ev.participants),
        ),
        "mentions.csv": _csv(
            ("entity_id", "source_id", "start", "end"),
            ((e.id, m.source, m.start, m.end) for e in data.involved for m in e.mentions),
        ),
        "sources.csv": _csv(
            ("source_id", "title", "author", "kind"),
            ((s.id, s.title, s.author, s.kind) for s in data.sources),
        ),
    }
    write_folder_atomically(out, files)
